/** The bucket and key prefix behind the destination `s3://bucket/prefix`. */
export class S3Location {
  readonly description: string;
  private readonly prefix: string;

  constructor(
    readonly bucket: string,
    prefix: string,
  ) {
    this.prefix = prefix.split('/').filter(Boolean).join('/');
    this.description = `s3://${bucket}${this.prefix ? `/${this.prefix}` : ''}`;
  }

  /** The S3 object name of a canonical key ('' is the prefix itself). */
  objectName(key: string): string {
    return [this.prefix, key].filter(Boolean).join('/');
  }

  /** The listing prefix of everything under a canonical directory key. */
  childrenPrefix(key: string): string {
    const name = this.objectName(key);
    return name ? `${name}/` : '';
  }
}
