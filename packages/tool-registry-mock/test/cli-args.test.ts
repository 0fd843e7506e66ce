import { describe, expect, it } from 'vitest';
import { parseCli, UsageError } from '../src/cli/args.js';

describe('parseCli', () => {
  it('defaults to 127.0.0.1:8000 with the core domain, port not explicit', () => {
    expect(parseCli([], {})).toEqual({
      kind: 'serve',
      host: '127.0.0.1',
      port: 8000,
      portExplicit: false,
      autoPort: false,
      domains: ['core'],
    });
  });

  it('reads the environment, and counts TOOL_REGISTRY_PORT as an explicit port', () => {
    const env = {
      TOOL_REGISTRY_HOST: '0.0.0.0',
      TOOL_REGISTRY_PORT: '9001',
      TOOL_REGISTRY_DOMAINS: 'core, ./weather.js',
    };
    expect(parseCli([], env)).toEqual({
      kind: 'serve',
      host: '0.0.0.0',
      port: 9001,
      portExplicit: true,
      autoPort: false,
      domains: ['core', './weather.js'],
    });
  });

  it('lets flags win over the environment', () => {
    const env = {
      TOOL_REGISTRY_HOST: '0.0.0.0',
      TOOL_REGISTRY_PORT: 'junk',
      TOOL_REGISTRY_DOMAINS: 'x',
    };
    expect(
      parseCli(['--host', '::1', '--port', '0', '--auto-port', '--domains', './a.js'], env),
    ).toEqual({
      kind: 'serve',
      host: '::1',
      port: 0,
      portExplicit: true,
      autoPort: true,
      domains: ['./a.js'],
    });
  });

  it('ignores blank environment values', () => {
    expect(parseCli([], { TOOL_REGISTRY_PORT: ' ', TOOL_REGISTRY_HOST: '' })).toMatchObject({
      host: '127.0.0.1',
      port: 8000,
      portExplicit: false,
    });
  });

  it('answers help and version', () => {
    expect(parseCli(['--help'], {})).toEqual({ kind: 'help' });
    expect(parseCli(['-h', '--port', 'x'], {})).toEqual({ kind: 'help' });
    expect(parseCli(['--version'], {})).toEqual({ kind: 'version' });
    expect(parseCli(['-v'], {})).toEqual({ kind: 'version' });
  });

  it.each([
    [['--port', '70000'], "--port must be a port number between 0 and 65535, got '70000'."],
    [['--port=-1'], "--port must be a port number between 0 and 65535, got '-1'."],
    [['--port', '80a'], "--port must be a port number between 0 and 65535, got '80a'."],
    [['--domains', ' , '], '--domains names no domain.'],
  ])('refuses %j', (argv, message) => {
    expect(() => parseCli(argv, {})).toThrow(new UsageError(message));
  });

  it('refuses a bad TOOL_REGISTRY_PORT, naming the variable', () => {
    expect(() => parseCli([], { TOOL_REGISTRY_PORT: 'http' })).toThrow(
      "TOOL_REGISTRY_PORT must be a port number between 0 and 65535, got 'http'.",
    );
  });

  it('refuses unknown options and stray arguments', () => {
    expect(() => parseCli(['--bogus'], {})).toThrow(UsageError);
    expect(() => parseCli(['serve'], {})).toThrow(UsageError);
    expect(() => parseCli(['--port'], {})).toThrow(UsageError);
  });
});
