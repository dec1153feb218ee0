import { createHmac } from 'node:crypto';

/** MLflow's `_generate_hmac_signature`: `v1,` + base64 HMAC-SHA256(secret, "<delivery_id>.<timestamp>.<payload>"). */
export function webhookSignature(secret: string, deliveryId: string, timestamp: string, payload: string): string {
  const digest = createHmac('sha256', Buffer.from(secret, 'utf8')).update(`${deliveryId}.${timestamp}.${payload}`, 'utf8').digest('base64');
  return `v1,${digest}`;
}
