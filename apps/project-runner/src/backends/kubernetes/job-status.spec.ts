import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { V1ContainerStatus, V1Job, V1Pod } from '@kubernetes/client-node';
import { PullFailureClock, deletedOutcome, jobOutcome, pullFailedOutcome, pullFailures, pullGraceSeconds } from './job-status';

const job = (conditions: { type: string; status: string; reason?: string; message?: string }[], extra: Partial<V1Job['metadata']> = {}): V1Job => ({
  metadata: { name: 'cairn-p-1234abcd', namespace: 'ml', ...extra },
  status: { conditions: conditions.map((c) => ({ lastTransitionTime: new Date(), ...c })) },
});

const pod = (name: string, created: string, statuses: V1ContainerStatus[], init: V1ContainerStatus[] = [], phase = 'Pending'): V1Pod => ({
  // Watch events carry timestamps as strings, list results as Dates: both must work.
  metadata: { name, creationTimestamp: created as unknown as Date },
  spec: { containers: [{ name: 'main', image: 'img:1' }], initContainers: [{ name: 'git-clone', image: 'git:1' }] },
  status: { phase, containerStatuses: statuses, initContainerStatuses: init },
});

const terminated = (name: string, exitCode: number, reason = exitCode ? 'Error' : 'Completed'): V1ContainerStatus => ({
  name,
  image: 'img:1',
  imageID: '',
  ready: false,
  restartCount: 0,
  state: { terminated: { exitCode, reason } },
});

const waiting = (name: string, reason: string, message?: string, image = 'reg/does-not-exist:1'): V1ContainerStatus => ({
  name,
  image,
  imageID: '',
  ready: false,
  restartCount: 0,
  state: { waiting: { reason, ...(message && { message }) } },
});

describe('jobOutcome', () => {
  it('maps Complete to FINISHED', () => {
    assert.deepEqual(jobOutcome(job([{ type: 'SuccessCriteriaMet', status: 'True' }, { type: 'Complete', status: 'True' }]), []), {
      status: 'FINISHED',
      exitCode: 0,
    });
  });

  it('is null while the Job runs, or is only about to fail', () => {
    assert.equal(jobOutcome(job([]), []), null);
    assert.equal(jobOutcome({ metadata: { name: 'x' } }, []), null);
    assert.equal(jobOutcome(job([{ type: 'FailureTarget', status: 'True' }, { type: 'Complete', status: 'False' }]), []), null);
  });

  it('maps Failed to FAILED with the reason and the failed container\'s exit code', () => {
    const pods = [
      pod('old', '2025-01-01T00:00:00Z', [terminated('main', 1)], [], 'Failed'),
      pod('new', '2025-01-01T00:01:00Z', [terminated('main', 3)], [terminated('git-clone', 0)], 'Failed'),
    ];
    const outcome = jobOutcome(job([{ type: 'Failed', status: 'True', reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit' }]), pods);
    assert.deepEqual(outcome, {
      status: 'FAILED',
      exitCode: 3,
      message:
        'Job ml/cairn-p-1234abcd failed (BackoffLimitExceeded: Job has reached the specified backoff limit); ' +
        'container "main" of pod new exited with code 3 (Error)',
    });
  });

  it('names a failed init container (a clone that failed) and copes with no pod left', () => {
    const pods = [pod('p', '2025-01-01T00:00:00Z', [], [terminated('git-clone', 128)], 'Failed')];
    const outcome = jobOutcome(job([{ type: 'Failed', status: 'True', reason: 'BackoffLimitExceeded' }]), pods);
    assert.equal(outcome?.exitCode, 128);
    assert.match(outcome!.message!, /init container "git-clone" of pod p exited with code 128/);
    const noPods = jobOutcome(job([{ type: 'Failed', status: 'True', reason: 'DeadlineExceeded', message: 'Job was active longer than specified deadline' }]), []);
    assert.deepEqual(noPods, { status: 'FAILED', message: 'Job ml/cairn-p-1234abcd failed (DeadlineExceeded: Job was active longer than specified deadline)' });
  });

  it('maps a Job being deleted to KILLED', () => {
    assert.equal(jobOutcome(job([], { deletionTimestamp: new Date() }), [])?.status, 'KILLED');
    assert.match(deletedOutcome('ml', 'j', true).message!, /^Cancelled/);
    assert.match(deletedOutcome('ml', 'j', false).message!, /ml\/j was deleted before it finished/);
  });
});

describe('image pull failures', () => {
  const stuck = pod('p1', '2025-01-01T00:00:00Z', [waiting('main', 'ImagePullBackOff', 'Back-off pulling image "reg/does-not-exist:1"')]);

  it('finds containers waiting on an image that cannot be pulled, init containers included', () => {
    const initStuck = pod('p2', '2025-01-01T00:00:00Z', [waiting('main', 'PodInitializing', undefined, 'img:1')], [waiting('git-clone', 'ErrImagePull', undefined, 'bad/git')]);
    assert.deepEqual(
      pullFailures([stuck, initStuck]).map((f) => [f.key, f.image, f.reason]),
      [
        ['p1/main', 'reg/does-not-exist:1', 'ImagePullBackOff'],
        ['p2/git-clone', 'bad/git', 'ErrImagePull'],
      ],
    );
    assert.deepEqual(pullFailures([pod('p3', '2025-01-01T00:00:00Z', [waiting('main', 'ContainerCreating')])]), []);
  });

  it('fails only after the grace period, counted from the first sighting, and forgets a recovered container', () => {
    const clock = new PullFailureClock();
    assert.deepEqual(clock.observe([stuck], 1_000, 5_000), { recheckAt: 6_000 });
    assert.deepEqual(clock.observe([stuck], 5_999, 5_000), { recheckAt: 6_000 });
    assert.equal(clock.observe([stuck], 6_000, 5_000).expired?.key, 'p1/main');
    const running = pod('p1', '2025-01-01T00:00:00Z', [{ name: 'main', image: 'x', imageID: '', ready: true, restartCount: 0, state: { running: {} } }]);
    assert.deepEqual(clock.observe([running], 7_000, 5_000), {});
    assert.deepEqual(clock.observe([stuck], 8_000, 5_000), { recheckAt: 13_000 });
  });

  it('names the image and the reason', () => {
    const [f] = pullFailures([stuck]);
    assert.deepEqual(pullFailedOutcome(f, 120), {
      status: 'FAILED',
      message:
        'Image "reg/does-not-exist:1" could not be pulled for 120 s (ImagePullBackOff: Back-off pulling image "reg/does-not-exist:1") ' +
        'in pod p1, container "main"; the Job was deleted',
    });
  });

  it('reads the grace the Job was launched with', () => {
    assert.equal(pullGraceSeconds({ metadata: { annotations: { 'cairn.dev/image-pull-grace-seconds': '7' } } }), 7);
    assert.equal(pullGraceSeconds({ metadata: { annotations: { 'cairn.dev/image-pull-grace-seconds': 'x' } } }), 120);
    assert.equal(pullGraceSeconds(undefined), 120);
  });
});
