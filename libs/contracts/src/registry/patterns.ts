/** Message patterns served by registry-svc: `registry.<aggregate>.<verb>.v1`. */
export const RegistryPatterns = {
  registeredModels: {
    create: 'registry.registered-models.create.v1',
    get: 'registry.registered-models.get.v1',
    rename: 'registry.registered-models.rename.v1',
    update: 'registry.registered-models.update.v1',
    delete: 'registry.registered-models.delete.v1',
    search: 'registry.registered-models.search.v1',
    setTag: 'registry.registered-models.set-tag.v1',
    deleteTag: 'registry.registered-models.delete-tag.v1',
    getLatestVersions: 'registry.registered-models.get-latest-versions.v1',
  },
  aliases: {
    set: 'registry.aliases.set.v1',
    delete: 'registry.aliases.delete.v1',
    getVersion: 'registry.aliases.get-version.v1',
  },
  modelVersions: {
    create: 'registry.model-versions.create.v1',
    get: 'registry.model-versions.get.v1',
    update: 'registry.model-versions.update.v1',
    delete: 'registry.model-versions.delete.v1',
    transitionStage: 'registry.model-versions.transition-stage.v1',
    search: 'registry.model-versions.search.v1',
    setTag: 'registry.model-versions.set-tag.v1',
    deleteTag: 'registry.model-versions.delete-tag.v1',
    getDownloadUri: 'registry.model-versions.get-download-uri.v1',
  },
  history: {
    list: 'registry.history.list.v1',
  },
} as const;
