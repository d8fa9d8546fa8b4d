import { appendFile, mkdir, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { MailTransport } from '../../core';
import { parseMail, type ParsedMail } from '../../surveys/mime';

// The demo's captured mail: instead of SMTP, the demo hands the app a mail transport that writes every survey
// mail to ${DATA_DIR}/mail/<message>.eml plus index.jsonl, one line per mail written; /demo/mail lists them. The
// file name comes from the deterministic Message-ID, so a mail written twice (a retry after a crash) is one file.

export interface CapturedMail {
  file: string;
  messageId: string;
  to: string;
  subject: string;
  date: string;
}

const INDEX = 'index.jsonl';
const FILE_NAME = /^[A-Za-z0-9._-]{1,200}\.eml$/;

export function capturedMailDir(dataDir: string): string {
  return join(dataDir, 'mail');
}

/** The transport the demo starts the app with: mail lands in `dir`, and a privacy deletion erases it there. */
export function capturedMailTransport(dir: string): MailTransport {
  return {
    deliver: async (raw, meta) => void (await writeCapturedMail(dir, raw, meta)),
    forget: (invitationIds) => eraseCapturedMail(dir, invitationIds),
  };
}

async function writeCapturedMail(
  dir: string,
  raw: Buffer,
  meta: { messageId: string; to: string; subject: string; date: Date },
): Promise<CapturedMail> {
  await mkdir(dir, { recursive: true });
  const file = `${meta.messageId
    .replace(/^<|>$/g, '')
    .split('@')[0]!
    .replace(/[^A-Za-z0-9._-]/g, '_')}.eml`;
  const tmp = join(dir, `.${file}.${process.pid}.tmp`);
  await writeFile(tmp, raw);
  await rename(tmp, join(dir, file));
  const entry: CapturedMail = {
    file,
    messageId: meta.messageId,
    to: meta.to,
    subject: meta.subject,
    date: meta.date.toISOString(),
  };
  // One short line per append: O_APPEND writes of this size are not interleaved between processes.
  await appendFile(join(dir, INDEX), `${JSON.stringify(entry)}\n`);
  return entry;
}

/** Captured mails, newest first; a mail written twice is listed once. */
export async function listCapturedMail(dir: string): Promise<CapturedMail[]> {
  let index: string;
  try {
    index = await readFile(join(dir, INDEX), 'utf8');
  } catch {
    return [];
  }
  const byFile = new Map<string, CapturedMail>();
  for (const line of index.split('\n')) {
    if (!line.trim()) continue;
    try {
      const entry = JSON.parse(line) as CapturedMail;
      if (FILE_NAME.test(entry.file)) byFile.set(entry.file, entry);
    } catch {
      // A line cut short by a crash mid-append: the mail itself is on disk; skip the broken line.
    }
  }
  return [...byFile.values()].sort((a, b) => b.date.localeCompare(a.date));
}

/** One captured mail, parsed; undefined for a name that is not a mail file (no path tricks). */
export async function readCapturedMail(
  dir: string,
  file: string,
): Promise<{ raw: Buffer; mail: ParsedMail } | undefined> {
  if (!FILE_NAME.test(file)) return undefined;
  try {
    const raw = await readFile(join(dir, file));
    return { raw, mail: parseMail(raw) };
  } catch {
    return undefined;
  }
}

/**
 * Deletes the mails of the given invitations (a privacy erasure) and their index lines, which carry the address.
 * File names start with the invitation id (see the Message-ID in email.ts). Returns how many files went.
 */
async function eraseCapturedMail(dir: string, invitationIds: string[]): Promise<number> {
  const ids = new Set(invitationIds);
  const erased = (file: string) => FILE_NAME.test(file) && ids.has(file.split('.')[0]!);
  let files: string[];
  try {
    files = await readdir(dir);
  } catch {
    return 0;
  }
  const doomed = files.filter(erased);
  for (const file of doomed) await rm(join(dir, file), { force: true });
  const index = await readFile(join(dir, INDEX), 'utf8').catch(() => '');
  const kept = index.split('\n').filter((line) => {
    if (!line.trim()) return false;
    try {
      return !erased((JSON.parse(line) as CapturedMail).file);
    } catch {
      return false;
    }
  });
  const tmp = join(dir, `.${INDEX}.${process.pid}.tmp`);
  await writeFile(tmp, kept.map((l) => `${l}\n`).join(''));
  await rename(tmp, join(dir, INDEX));
  return doomed.length;
}
