/** How a source record is named in contributions, merges and links: `connectionId/stream/externalId`. */
export const sourceKey = (r: { connectionId: string; stream: string; externalId: string }): string => `${r.connectionId}/${r.stream}/${r.externalId}`;
