import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrate, openDatabase } from '../../src/server/db.ts';

describe('openDatabase and migrate (real SQLite file)', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ccsp-db-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('runs each step once, in order, and again only the new ones after a reopen', () => {
    const steps = ['CREATE TABLE a (x INTEGER)', 'INSERT INTO a VALUES (1)'];
    let db = openDatabase(dir);
    migrate(db, 'test', steps);
    migrate(db, 'test', steps);
    expect(db.prepare('SELECT count(*) AS n FROM a').get()).toEqual({ n: 1 });
    db.close();
    db = openDatabase(dir);
    migrate(db, 'test', [...steps, 'INSERT INTO a VALUES (2)']);
    expect(db.prepare('SELECT sum(x) AS s FROM a').get()).toEqual({ s: 3 });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
  });

  it('a failing step changes nothing, and the steps before it stay applied', () => {
    const db = openDatabase(dir);
    expect(() =>
      migrate(db, 'test', [
        'CREATE TABLE a (x INTEGER)',
        'CREATE TABLE b (y INTEGER); INSERT INTO no_such_table VALUES (1)',
      ]),
    ).toThrow(/no_such_table/);
    expect(
      db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name IN ('a', 'b')").all(),
    ).toEqual([{ name: 'a' }]);
    expect(db.prepare("SELECT version FROM schema_versions WHERE module = 'test'").get()).toEqual({
      version: 1,
    });
    db.close();
  });

  it('refuses a database written by a newer program', () => {
    const db = openDatabase(dir);
    migrate(db, 'test', ['SELECT 1', 'SELECT 2']);
    expect(() => migrate(db, 'test', ['SELECT 1'])).toThrow(/newer than this program.*update ccsp-signage/);
    db.close();
  });
});
