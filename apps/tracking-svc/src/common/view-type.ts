import type { LifecycleStage, ViewType } from '@cairn/contracts';

/** MLflow's view types as the lifecycle stages they select. */
export const VIEW_STAGES: Record<ViewType, LifecycleStage[]> = {
  ACTIVE_ONLY: ['active'],
  DELETED_ONLY: ['deleted'],
  ALL: ['active', 'deleted'],
};
