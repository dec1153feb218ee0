import assert from 'node:assert/strict';
import { mkdtemp, mkdir, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { fetchProject, splitSubdirectory } from './project-source';

describe('project URIs', () => {
  it('splits one #subdirectory and refuses .. in any encoding, absolute paths and two #', () => {
    assert.deepEqual(splitSubdirectory('https://h/r.git#a/b/'), { base: 'https://h/r.git', subdirectory: 'a/b' });
    assert.deepEqual(splitSubdirectory('/p'), { base: '/p', subdirectory: '' });
    for (const bad of ['/p#../x', '/p#a/../../x', '/p#%2e%2e/x', '/p#%252e%252e/x', '/p#a\\..\\x', '/p#a%00b']) {
      assert.throws(() => splitSubdirectory(bad), /Invalid subdirectory/, bad);
    }
    assert.throws(() => splitSubdirectory('/p#a#b'), /Only one '#'/);
  });

  it('a shared runner refuses directories and file:// repositories on its own disk', async () => {
    const opts = { workDir: path.join(tmpdir(), 'unused'), allowLocal: false };
    await assert.rejects(fetchProject('/etc', undefined, opts), /does not accept projects on its own disk/);
    await assert.rejects(fetchProject('file:///srv/repo.git', undefined, opts), /does not accept projects on its own disk/);
    await assert.rejects(fetchProject('ftp://h/r', undefined, opts), /Unsupported project URI scheme 'ftp'/);
    await assert.rejects(fetchProject('--upload-pack=touch /tmp/x', undefined, opts), /Invalid project URI/);
  });

  it('a subdirectory may not leave the project through a symlink', async () => {
    const root = await mkdtemp(path.join(tmpdir(), 'cairn-src-'));
    await mkdir(path.join(root, 'project'));
    await symlink('/etc', path.join(root, 'project', 'escape'));
    await assert.rejects(
      fetchProject(`${path.join(root, 'project')}#escape`, undefined, { workDir: path.join(root, 'w'), allowLocal: true }),
      /leaves the project directory/,
    );
  });
});
