/**
 * The shard cannot become the provider's record: its write schema refuses it, or a reference names
 * a record the shard has no link to. Retrying changes nothing; a person fixes the data or the mapping.
 */
export class UnmappableShardError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnmappableShardError';
  }
}
