import type { StreamInfo } from '../../connectors/connector.js';

/** Fields the provider keeps itself: a write never sends them. */
export const providerOwnedFields = (streamInfo: Pick<StreamInfo, 'idField' | 'modifiedField' | 'versionField'>): string[] => [
  streamInfo.idField,
  streamInfo.modifiedField,
  ...(streamInfo.versionField !== undefined ? [streamInfo.versionField] : []),
];
