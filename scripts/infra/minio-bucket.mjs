// Creates an S3 bucket if it does not exist yet (used by scripts/infra/minio.sh start).
//   node scripts/infra/minio-bucket.mjs BUCKET
// Reads the endpoint and test credentials from CAIRN_S3_ENDPOINT, CAIRN_S3_REGION,
// CAIRN_S3_ACCESS_KEY_ID and CAIRN_S3_SECRET_ACCESS_KEY (see `minio.sh env`).
import { CreateBucketCommand, HeadBucketCommand, S3Client } from '@aws-sdk/client-s3';

const bucket = process.argv[2];
const { CAIRN_S3_ENDPOINT: endpoint, CAIRN_S3_REGION: region = 'us-east-1' } = process.env;
const { CAIRN_S3_ACCESS_KEY_ID: accessKeyId, CAIRN_S3_SECRET_ACCESS_KEY: secretAccessKey } = process.env;
if (!bucket || !endpoint || !accessKeyId || !secretAccessKey) {
  console.error('usage: CAIRN_S3_ENDPOINT=… CAIRN_S3_ACCESS_KEY_ID=… CAIRN_S3_SECRET_ACCESS_KEY=… node minio-bucket.mjs BUCKET');
  process.exit(2);
}

const s3 = new S3Client({ endpoint, region, forcePathStyle: true, credentials: { accessKeyId, secretAccessKey }, maxAttempts: 5 });
try {
  await s3.send(new HeadBucketCommand({ Bucket: bucket }));
  console.error(`minio-bucket: ${bucket} exists`);
} catch (err) {
  if (err?.$metadata?.httpStatusCode !== 404) throw err;
  try {
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    console.error(`minio-bucket: created ${bucket}`);
  } catch (createErr) {
    if (createErr?.name !== 'BucketAlreadyOwnedByYou') throw createErr;
  }
} finally {
  s3.destroy();
}
