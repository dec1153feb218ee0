import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { BatchV1Api, CoreV1Api, V1Job, V1Pod, Watch } from '@kubernetes/client-node';
import { JobWatcher, backoffMs } from './job-watch';

interface LiveWatch {
  path: string;
  query: Record<string, unknown>;
  event: (type: string, obj: unknown) => void;
  done: (err: unknown) => void;
  controller: AbortController;
}

/** An API server stand-in: lists from its state, watches that the test drives by hand. */
class FakeApi {
  job: V1Job | undefined = runningJob();
  pods: V1Pod[] = [];
  failLists = 0;
  lists = 0;
  watches: LiveWatch[] = [];
  deleted = 0;
  readonly warnings: string[] = [];
  cancelled = false;

  private async maybeFail() {
    this.lists++;
    if (this.failLists > 0) {
      this.failLists--;
      throw new Error('connect ECONNREFUSED 127.0.0.1:16443');
    }
  }

  watcher(): JobWatcher {
    const batch = {
      listNamespacedJob: async () => {
        await this.maybeFail();
        return { metadata: { resourceVersion: '10' }, items: this.job ? [this.job] : [] };
      },
    } as unknown as BatchV1Api;
    const core = {
      listNamespacedPod: async () => ({ metadata: { resourceVersion: '11' }, items: this.pods }),
    } as unknown as CoreV1Api;
    const watch = {
      watch: async (path: string, query: Record<string, unknown>, event: LiveWatch['event'], done: LiveWatch['done']) => {
        const controller = new AbortController();
        this.watches.push({ path, query, event, done, controller });
        return controller;
      },
    } as unknown as Watch;
    return new JobWatcher('ml', 'cairn-p-1234abcd', {
      batch,
      core,
      watch,
      logger: { log: () => undefined, warn: (m) => this.warnings.push(m) },
      cancelled: () => this.cancelled,
      deleteJob: async () => {
        this.deleted++;
      },
    });
  }

  live(kind: 'jobs' | 'pods'): LiveWatch[] {
    return this.watches.filter((w) => !w.controller.signal.aborted && w.path.endsWith(`/${kind}`));
  }

  emit(kind: 'jobs' | 'pods', type: string, obj: unknown) {
    for (const w of this.live(kind)) w.event(type, obj);
  }

  /** Every open watch connection drops (the API server went away). */
  drop(err: unknown = new Error('socket hang up')) {
    for (const w of this.watches.filter((x) => !x.controller.signal.aborted)) {
      w.controller.abort();
      w.done(err);
    }
  }
}

function runningJob(conditions: { type: string; status: string; reason?: string }[] = [], annotations: Record<string, string> = {}): V1Job {
  return { metadata: { name: 'cairn-p-1234abcd', namespace: 'ml', annotations }, status: { active: 1, conditions } };
}

const failedPod = (exitCode: number): V1Pod => ({
  metadata: { name: 'cairn-p-1234abcd-x1', creationTimestamp: new Date() },
  spec: { containers: [{ name: 'p' }] },
  status: {
    phase: 'Failed',
    containerStatuses: [{ name: 'p', image: 'i', imageID: '', ready: false, restartCount: 0, state: { terminated: { exitCode, reason: 'Error' } } }],
  },
});

const until = async (cond: () => boolean, what: string) => {
  const start = Date.now();
  while (!cond()) {
    if (Date.now() - start > 5000) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
};

describe('JobWatcher', () => {
  it('lists, then watches the Job by name and its pods by label from the lists\' resourceVersions', async () => {
    const api = new FakeApi();
    const done = api.watcher().follow(new AbortController().signal);
    await until(() => api.live('jobs').length === 1 && api.live('pods').length === 1, 'two watches');
    const [jobs] = api.live('jobs');
    const [pods] = api.live('pods');
    assert.equal(jobs.path, '/apis/batch/v1/namespaces/ml/jobs');
    assert.deepEqual(
      { fieldSelector: jobs.query.fieldSelector, resourceVersion: jobs.query.resourceVersion },
      { fieldSelector: 'metadata.name=cairn-p-1234abcd', resourceVersion: '10' },
    );
    assert.equal(pods.path, '/api/v1/namespaces/ml/pods');
    assert.deepEqual({ labelSelector: pods.query.labelSelector, resourceVersion: pods.query.resourceVersion }, { labelSelector: 'job-name=cairn-p-1234abcd', resourceVersion: '11' });
    api.emit('jobs', 'BOOKMARK', { metadata: { resourceVersion: '12' } });
    api.emit('jobs', 'MODIFIED', runningJob([{ type: 'Complete', status: 'True' }]));
    assert.deepEqual(await done, { status: 'FINISHED', exitCode: 0 });
    assert.equal(api.live('jobs').length + api.live('pods').length, 0, 'watches are closed');
  });

  it('resolves at once for a Job that already ended (re-attach), without watching', async () => {
    const api = new FakeApi();
    api.job = runningJob([{ type: 'Complete', status: 'True' }]);
    assert.equal((await api.watcher().follow(new AbortController().signal)).status, 'FINISHED');
    assert.equal(api.watches.length, 0);
  });

  it('survives a dropped watch and an API server that refuses connections for a while', async () => {
    const api = new FakeApi();
    const done = api.watcher().follow(new AbortController().signal);
    await until(() => api.live('jobs').length === 1, 'first watch');
    api.failLists = 2;
    api.drop();
    await until(() => api.lists === 4, 'two failed re-lists and a good one');
    await until(() => api.live('jobs').length === 1, 'the watch again');
    api.emit('jobs', 'MODIFIED', runningJob([{ type: 'Complete', status: 'True' }]));
    assert.equal((await done).status, 'FINISHED');
    assert.equal(api.warnings.length, 3, api.warnings.join('\n'));
    assert.match(api.warnings[0], /watch of Job ml\/cairn-p-1234abcd lost \(socket hang up\); reconnecting in \d+ ms \(attempt 1\)/);
    assert.match(api.warnings[1], /ECONNREFUSED/);
  });

  it('re-lists after a watch ERROR event (410 Gone) and picks up what happened meanwhile', async () => {
    const api = new FakeApi();
    const done = api.watcher().follow(new AbortController().signal);
    await until(() => api.live('jobs').length === 1, 'first watch');
    api.job = runningJob([{ type: 'Failed', status: 'True', reason: 'BackoffLimitExceeded' }]);
    api.pods = [failedPod(3)];
    api.emit('jobs', 'ERROR', { kind: 'Status', code: 410, reason: 'Expired', message: 'too old resource version' });
    const outcome = await done;
    assert.equal(outcome.status, 'FAILED');
    assert.equal(outcome.exitCode, 3);
    assert.match(api.warnings[0], /410 Expired: too old resource version/);
  });

  it('looks at the pods again when the Job fails before its pod\'s final status arrived', async () => {
    const api = new FakeApi();
    const done = api.watcher().follow(new AbortController().signal);
    await until(() => api.live('jobs').length === 1, 'watch');
    api.pods = [failedPod(42)];
    api.emit('jobs', 'MODIFIED', runningJob([{ type: 'Failed', status: 'True', reason: 'BackoffLimitExceeded' }]));
    assert.equal((await done).exitCode, 42);
  });

  it('maps a deleted Job to KILLED, saying whether Cairn cancelled it', async () => {
    for (const cancelled of [true, false]) {
      const api = new FakeApi();
      api.cancelled = cancelled;
      const done = api.watcher().follow(new AbortController().signal);
      await until(() => api.live('jobs').length === 1, 'watch');
      api.emit('jobs', 'DELETED', api.job);
      const outcome = await done;
      assert.equal(outcome.status, 'KILLED');
      assert.match(outcome.message!, cancelled ? /^Cancelled/ : /was deleted before it finished/);
    }
    const gone = new FakeApi();
    gone.job = undefined;
    assert.equal((await gone.watcher().follow(new AbortController().signal)).status, 'KILLED');
  });

  it('fails a run whose image cannot be pulled once the Job\'s grace has passed, and deletes the Job', async () => {
    const api = new FakeApi();
    api.job = runningJob([], { 'cairn.dev/image-pull-grace-seconds': '0.2' });
    api.pods = [
      {
        metadata: { name: 'cairn-p-1234abcd-x1', creationTimestamp: new Date() },
        spec: { containers: [{ name: 'p', image: 'reg/does-not-exist:1' }] },
        status: {
          phase: 'Pending',
          containerStatuses: [{ name: 'p', image: 'reg/does-not-exist:1', imageID: '', ready: false, restartCount: 0, state: { waiting: { reason: 'ImagePullBackOff' } } }],
        },
      },
    ];
    const started = Date.now();
    const outcome = await api.watcher().follow(new AbortController().signal);
    assert.ok(Date.now() - started >= 190, 'not before the grace');
    assert.equal(outcome.status, 'FAILED');
    assert.match(outcome.message!, /Image "reg\/does-not-exist:1" could not be pulled for 0.2 s \(ImagePullBackOff\)/);
    assert.equal(api.deleted, 1);
  });

  it('rejects with the signal\'s reason when aborted, while watching or while backing off', async () => {
    const api = new FakeApi();
    const ac = new AbortController();
    const done = api.watcher().follow(ac.signal);
    await until(() => api.live('jobs').length === 1, 'watch');
    ac.abort(new Error('runner stopping'));
    await assert.rejects(done, /runner stopping/);
    assert.equal(api.live('jobs').length, 0);

    const down = new FakeApi();
    down.failLists = 1000;
    const ac2 = new AbortController();
    const waiting = down.watcher().follow(ac2.signal);
    await until(() => down.lists >= 2, 'a retry');
    ac2.abort(new Error('bye'));
    await assert.rejects(waiting, /bye/);
  });

  it('backs off exponentially up to 30 s', () => {
    assert.ok(backoffMs(1) >= 400 && backoffMs(1) <= 600);
    assert.ok(backoffMs(4) >= 3200 && backoffMs(4) <= 4800);
    assert.ok(backoffMs(50) <= 36_000 && backoffMs(50) >= 24_000);
  });
});
