import { LocalSecrets } from '../../shared/adapters/embedded/localSecrets.js';
import { describeSecretsContract } from './secretsContract.js';

describeSecretsContract('LocalSecrets (in memory)', async () => new LocalSecrets());
