/** Message patterns served by tracking-svc: `<svc>.<aggregate>.<verb>.v1`. */
export const TrackingPatterns = {
  experiments: {
    create: 'tracking.experiments.create.v1',
    get: 'tracking.experiments.get.v1',
    getByName: 'tracking.experiments.get-by-name.v1',
    search: 'tracking.experiments.search.v1',
    update: 'tracking.experiments.update.v1',
    delete: 'tracking.experiments.delete.v1',
    restore: 'tracking.experiments.restore.v1',
    setTag: 'tracking.experiments.set-tag.v1',
    deleteTag: 'tracking.experiments.delete-tag.v1',
  },
  health: { ping: 'tracking.health.ping.v1' },
} as const;
