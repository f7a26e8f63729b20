/** Another worker kept winning the race for the same blocks; the message is redelivered, which is safe. */
export class IndexContentionError extends Error {
  constructor(attempts: number) {
    super(`look-up blocks kept changing: gave up after ${attempts} attempts`);
    this.name = 'IndexContentionError';
  }
}
