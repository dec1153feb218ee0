import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { artifactContentType, contentDisposition } from './artifact-headers';

describe('download headers', () => {
  it("guesses Content-Type like MLflow's _guess_mime_type", () => {
    assert.equal(artifactContentType('MLmodel'), 'text/plain');
    assert.equal(artifactContentType('conda.yaml'), 'text/plain');
    assert.equal(artifactContentType('metrics.json'), 'text/plain');
    assert.equal(artifactContentType('plot.png'), 'image/png');
    assert.equal(artifactContentType('model.pkl'), 'application/octet-stream');
    assert.equal(artifactContentType('.bashrc'), 'application/octet-stream');
  });

  it('never serves a document a browser would render (CVE-2023-6568)', () => {
    assert.equal(artifactContentType('report.html'), 'text/plain');
    assert.equal(artifactContentType('report.HTM'), 'text/plain');
    assert.equal(artifactContentType('page.xhtml'), 'text/plain');
  });

  it('names the file as an attachment, quoted when needed, RFC 5987 for non-ASCII', () => {
    assert.equal(contentDisposition('model.pkl'), 'attachment; filename=model.pkl');
    assert.equal(contentDisposition('my "file".txt'), 'attachment; filename="my \\"file\\".txt"');
    assert.equal(contentDisposition('ünï 文件.txt'), "attachment; filename=\"uni .txt\"; filename*=UTF-8''%C3%BCn%C3%AF%20%E6%96%87%E4%BB%B6.txt");
    assert.equal(contentDisposition('日本語'), "attachment; filename=download; filename*=UTF-8''%E6%97%A5%E6%9C%AC%E8%AA%9E");
  });
});
