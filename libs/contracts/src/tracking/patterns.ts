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
  runs: {
    create: 'tracking.runs.create.v1',
    get: 'tracking.runs.get.v1',
    update: 'tracking.runs.update.v1',
    delete: 'tracking.runs.delete.v1',
    restore: 'tracking.runs.restore.v1',
    setTag: 'tracking.runs.set-tag.v1',
    deleteTag: 'tracking.runs.delete-tag.v1',
    logParam: 'tracking.runs.log-param.v1',
    logMetric: 'tracking.runs.log-metric.v1',
    logBatch: 'tracking.runs.log-batch.v1',
    logModel: 'tracking.runs.log-model.v1',
    logInputs: 'tracking.runs.log-inputs.v1',
    logOutputs: 'tracking.runs.log-outputs.v1',
    search: 'tracking.runs.search.v1',
  },
  metrics: {
    getHistory: 'tracking.metrics.get-history.v2',
    getHistoryBulk: 'tracking.metrics.get-history-bulk.v1',
    getHistoryBulkInterval: 'tracking.metrics.get-history-bulk-interval.v1',
  },
  datasets: {
    search: 'tracking.datasets.search.v1',
  },
  health: { ping: 'tracking.health.ping.v1' },
} as const;
