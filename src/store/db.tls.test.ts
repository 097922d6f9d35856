import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { knexConfigFor } from './db';

const connectionOf = (url: string) => knexConfigFor(url).connection as Record<string, unknown>;

// MariaDB here runs without TLS, so this checks the parsing that reaches mysql2; docs/security.md.
describe('TLS options of a mysql:// DATABASE_URL', () => {
  const ca = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'mysql-tls-')), 'ca.pem');
  fs.writeFileSync(ca, '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');

  it('uses none without ?ssl, or with ssl=false', () => {
    expect(connectionOf('mysql://u:p@db:3306/mp').ssl).toBeUndefined();
    expect(connectionOf('mysql://u:p@db:3306/mp?ssl=false').ssl).toBeUndefined();
  });

  it('verifies the server against the system CAs with ssl=true', () => {
    expect(connectionOf('mysql://u:p@db:3306/mp?ssl=true').ssl).toEqual({
      rejectUnauthorized: true,
    });
  });

  it('reads ssl_ca from a file and keeps verification on', () => {
    const ssl = connectionOf(
      `mysql://u:p@db:3306/mp?ssl=true&ssl_ca=${encodeURIComponent(ca)}`,
    ).ssl;
    expect(ssl).toEqual({ ca: fs.readFileSync(ca, 'utf8'), rejectUnauthorized: true });
  });

  it('turns verification off only when asked in so many words', () => {
    expect(
      connectionOf('mysql://u:p@db:3306/mp?ssl=true&ssl_reject_unauthorized=false').ssl,
    ).toEqual({
      rejectUnauthorized: false,
    });
    expect(connectionOf('mysql://u:p@db:3306/mp?ssl=true&ssl_reject_unauthorized=0').ssl).toEqual({
      rejectUnauthorized: true,
    });
  });

  it('keeps the other parameters working alongside', () => {
    const config = knexConfigFor('mysql://u:p%40ss@db:3307/mp?ssl=true&pool_max=3');
    expect(config.pool).toMatchObject({ max: 3 });
    expect(connectionOf('mysql://u:p%40ss@db:3307/mp?ssl=true')).toMatchObject({
      password: 'p@ss',
      port: 3307,
    });
  });

  it('fails at start-up when ssl_ca names a missing file', () => {
    expect(() => knexConfigFor('mysql://u:p@db/mp?ssl=true&ssl_ca=/nonexistent.pem')).toThrow(
      /ENOENT/,
    );
  });
});
