import { CliError } from './cliError.js';

export interface CredentialOptions {
  key?: string;
  /** Entra ID scope of the app registration, e.g. `api://shardsync/.default`. */
  scope?: string;
}

/**
 * The bearer credential: the key given (option or SHARDSYNC_KEY), else an Entra ID token from
 * DefaultAzureCredential (az login, managed identity…) for the scope. The identity library is
 * only loaded when needed: it is large and a key is the common case on a laptop.
 */
export async function bearerCredential(options: CredentialOptions): Promise<string> {
  if (options.key) return options.key;
  if (!options.scope) {
    throw new CliError('no credentials: give --key (or SHARDSYNC_KEY), or SHARDSYNC_SCOPE for an Entra ID token (e.g. api://shardsync/.default)', 2);
  }
  const { DefaultAzureCredential } = await import('@azure/identity');
  try {
    const token = await new DefaultAzureCredential().getToken(options.scope);
    return token.token;
  } catch (error) {
    throw new CliError(`could not get an Entra ID token for ${options.scope}: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
  }
}
