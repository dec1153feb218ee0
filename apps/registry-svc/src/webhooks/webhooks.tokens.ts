export const WEBHOOKS_CONFIG = Symbol('WEBHOOKS_CONFIG');
export const SECRET_BOX = Symbol('SECRET_BOX');
