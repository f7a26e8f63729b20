import { createHttpServer } from '@vercel/cosmosdb-server';
import { CosmosClient } from '@azure/cosmos';
const server = createHttpServer({ keepAlive: true });
let n = 0; const log = [];
server.on('request', (req) => { n++; log.push(req.method + ' ' + req.url); });
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const { port } = server.address();
const client = new CosmosClient({ endpoint: `http://127.0.0.1:${port}`, key: Buffer.from('k').toString('base64'), connectionPolicy: { enableEndpointDiscovery: false } });
const { database } = await client.databases.createIfNotExists({ id: 'db' });
const { container } = await database.containers.createIfNotExists({ id: 'c', partitionKey: { paths: ['/tenantId'] } });
for (let i = 0; i < 7; i++) await container.items.create({ id: 'd' + i, tenantId: 't', rank: i % 3 });
log.length = 0; n = 0;
const it = container.items.query({ query: 'SELECT * FROM c WHERE c.tenantId = @t ORDER BY c.rank DESC', parameters: [{ name: '@t', value: 't' }] }, { partitionKey: 't', maxItemCount: 3 });
const p1 = await it.fetchNext();
console.log(p1.resources.map(r => r.id), p1.continuationToken, p1.hasMoreResults);
console.log(n, log);
n = 0; log.length = 0;
const it2 = container.items.query({ query: 'SELECT * FROM c WHERE c.tenantId = @t ORDER BY c.rank DESC', parameters: [{ name: '@t', value: 't' }] }, { partitionKey: 't', maxItemCount: 3, continuationToken: p1.continuationToken });
const p2 = await it2.fetchNext();
console.log(p2.resources.map(r => r.id), p2.continuationToken, p2.hasMoreResults, n, log);
try {
const it3 = container.items.query({ query: 'SELECT * FROM c WHERE c.tenantId = @t ORDER BY c.rank DESC', parameters: [{ name: '@t', value: 't' }] }, { partitionKey: 't', maxItemCount: 3, continuationToken: 'garbage' });
const p3 = await it3.fetchNext(); console.log('garbage ok', p3.resources.map(r=>r.id));
} catch (e) { console.log('garbage err', e.code, e.message); }
n=0; log.length=0;
await container.item('d1','t').read(); console.log('read', n, log);
n=0; log.length=0;
await container.item('d1','t').patch([{op:'incr', path:'/x', value: 1}]); console.log('patch', n, log);
try { await container.item('d1','t').patch([{op:'incr', path:'/a/b', value: 1}]); } catch (e) { console.log('patch err', e.code, e.message?.slice(0,200)); }
n=0; log.length=0;
const ops = Array.from({length:100},(_,i)=>({operationType:'Create', partitionKey: 't', resourceBody:{id:'b'+i, tenantId:'t'}}));
const br = await container.items.batch(ops, 't'); console.log('batch', n, log, br.code, br.result?.length, br.result?.[0]);
const br2 = await container.items.batch([{operationType:'Create', resourceBody:{id:'b0', tenantId:'t'}}], 't'); console.log('batch2', br2.code, br2.result);
client.dispose(); server.close();
