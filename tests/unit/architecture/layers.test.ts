import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { importCircles, importEdges, sourceFiles } from './importGraph.js';
import { projectDir } from '../../e2e/hostProcess.js';

const files = ['functions', 'shared', 'dev', 'bench', 'tests'].flatMap((dir) => sourceFiles(projectDir, dir));
const edges = importEdges(projectDir, files);
const under = (dir: string) => (file: string) => file.startsWith(`${dir}/`);

describe('the layers of the code', () => {
  it('reads the imports it judges: hundreds of files and edges', () => {
    expect(files.length).toBeGreaterThan(300);
    expect(edges.length).toBeGreaterThan(1000);
  });

  it('has no import circle anywhere', () => {
    expect(importCircles(edges)).toEqual([]);
  });

  it('keeps the core pure: core imports nothing outside core', () => {
    const core = edges.filter((edge) => under('shared/core')(edge.from));
    expect(core.length).toBeGreaterThan(100);
    expect(core.filter((edge) => !under('shared/core')(edge.to)).map((edge) => `${edge.from} → ${edge.to}`)).toEqual([]);
  });

  it('keeps the use cases off the adapters: sync never imports adapters', () => {
    const sync = edges.filter((edge) => under('shared/sync')(edge.from));
    expect(sync.length).toBeGreaterThan(100);
    expect(sync.filter((edge) => under('shared/adapters')(edge.to)).map((edge) => `${edge.from} → ${edge.to}`)).toEqual([]);
  });

  it('keeps function files thin: they import use cases, their http, queue and timer helpers, and port types only', () => {
    const functionFiles = edges.filter((edge) => under('functions')(edge.from) && !edge.from.slice('functions/'.length).includes('/'));
    expect(functionFiles.length).toBeGreaterThan(50);
    const allowed = (edge: (typeof edges)[number]) =>
      under('shared/sync')(edge.to) || under('functions/http')(edge.to) || under('functions/queue')(edge.to) || under('functions/timer')(edge.to) || (edge.typeOnly && under('shared/ports')(edge.to));
    expect(functionFiles.filter((edge) => !allowed(edge)).map((edge) => `${edge.from} → ${edge.to}`)).toEqual([]);
  });

  it('keeps the use-case rooms apart: no two rooms of shared/sync import each other', () => {
    const roomOf = (file: string) => (file.split('/').length > 3 ? file.split('/')[2]! : undefined);
    const between = new Set(
      edges
        .filter((edge) => under('shared/sync')(edge.from) && under('shared/sync')(edge.to))
        .map((edge) => [roomOf(edge.from), roomOf(edge.to)] as const)
        .filter(([from, to]) => from !== undefined && to !== undefined && from !== to)
        .map(([from, to]) => `${from} → ${to}`),
    );
    expect(between.size).toBeGreaterThan(10);
    const twoWay = [...between].filter((tie) => between.has(tie.split(' → ').reverse().join(' → ')));
    expect(twoWay).toEqual([]);
  });

  it('gives no folder under shared/ more than 20 source files of its own', () => {
    const folders = [...new Set(files.filter(under('shared')).map((file) => path.dirname(file)))];
    expect(folders.length).toBeGreaterThan(10);
    const crowded = folders
      .map((folder) => ({ folder, files: readdirSync(path.join(projectDir, folder)).filter((name) => name.endsWith('.ts')).length }))
      .filter(({ files: count }) => count > 20);
    expect(crowded).toEqual([]);
  });

  it('keeps provider knowledge in its provider folder: provider names appear in shared/ only under shared/connectors/', () => {
    const outside = files.filter(under('shared')).filter((file) => !under('shared/connectors')(file));
    expect(outside.length).toBeGreaterThan(100);
    const naming = outside.filter((file) => /woocommerce/i.test(readFileSync(path.join(projectDir, file), 'utf8')));
    expect(naming).toEqual([]);
  });
});
