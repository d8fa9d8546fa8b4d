import { createHmac } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client } from '@hubspot/api-client';
import express from 'express';
import { createSandbox, type Sandbox, type SandboxOptions } from '../../src/sandbox';

export interface Running {
  sandbox: Sandbox;
  url: string;
  client: (token?: string) => Client;
  api: (path: string, init?: RequestInit & { token?: string }) => Promise<Response>;
  control: (path: string, method?: string, body?: unknown) => Promise<Response>;
}

export async function startSandbox(options: SandboxOptions = {}): Promise<Running> {
  const sandbox = createSandbox(options);
  const { url } = await sandbox.listen();
  return {
    sandbox,
    url,
    client: (token = sandbox.defaultToken) => new Client({ accessToken: token, basePath: url }),
    api: (path, init = {}) => {
      const { token = sandbox.defaultToken, headers, ...rest } = init;
      return fetch(`${url}${path}`, {
        ...rest,
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
          ...(headers as Record<string, string>),
        },
      });
    },
    control: (path, method = 'GET', body) =>
      fetch(`${url}/_sandbox${path}`, {
        method,
        headers: { 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      }),
  };
}

export interface ReceivedRequest {
  headers: Record<string, string | string[] | undefined>;
  rawBody: string;
  body: unknown;
  receivedAt: number;
}

export interface Receiver {
  url: string;
  requests: ReceivedRequest[];
  close: () => Promise<void>;
}

export type Answer = number | { status: number; delayMs: number };

/** A tiny HTTP endpoint standing in for the app: records raw bodies; `answer` decides each status (and delay). */
export async function startReceiver(
  answer: (n: number, request: ReceivedRequest) => Answer = () => 204,
  path = '/webhooks/hubspot',
): Promise<Receiver> {
  const requests: ReceivedRequest[] = [];
  const app = express();
  app.post(path, express.raw({ type: '*/*' }), (req, res) => {
    const rawBody = (req.body as Buffer).toString('utf8');
    const request = { headers: req.headers, rawBody, body: JSON.parse(rawBody), receivedAt: Date.now() };
    requests.push(request);
    const decided = answer(requests.length, request);
    const { status, delayMs } = typeof decided === 'number' ? { status: decided, delayMs: 0 } : decided;
    setTimeout(() => {
      if (!res.writableEnded)
        res.status(status).json(status < 300 ? { outputFields: { hs_execution_state: 'BLOCK' } } : { error: 'nope' });
    }, delayMs);
  });
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}${path}`,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Our own v3 check, written from HUBSPOT.md §3.4 (not from the sandbox's code). */
export function expectedV3(secret: string, uri: string, rawBody: string, timestamp: string): string {
  return createHmac('sha256', secret).update(`POST${uri}${rawBody}${timestamp}`).digest('base64');
}
