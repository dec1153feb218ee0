import { ARTIFACT_OBJECTS_PATH, invalidParameter } from '@cairn/contracts';

/**
 * The object key named by a data-plane request target (`/objects/<segment>/<segment>…`, each
 * segment URL-encoded once by the gateway), or undefined when the target is not an object URL.
 * The key still goes through `canonicalArtifactPath` in the store.
 */
export function objectKeyFromUrl(target: string): string | undefined {
  const [pathname = ''] = target.split('?', 1);
  if (!pathname.startsWith(ARTIFACT_OBJECTS_PATH)) return undefined;
  return pathname
    .slice(ARTIFACT_OBJECTS_PATH.length)
    .split('/')
    .map((segment) => {
      try {
        return decodeURIComponent(segment);
      } catch {
        throw invalidParameter('Invalid path');
      }
    })
    .join('/');
}
