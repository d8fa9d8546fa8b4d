import type { WebhookHandler } from '../core';
import { eventKind, type WebhookEvent } from '../core';
import { deleteContact, mergeContacts } from './lifecycle';
import { refreshContacts } from './mirror';
import { eraseContact } from './privacy';
import { WATCHED_CONTACT_PROPERTIES } from './properties';

// Incremental contact updates from HubSpot webhooks. Every handler is idempotent and order-independent:
// creations and property changes re-read the contact instead of applying the event's value.

const kindIs =
  (...kinds: string[]) =>
  (e: WebhookEvent) =>
    kinds.includes(eventKind(e));
const contactId = (e: WebhookEvent) => (e.objectId === undefined ? undefined : String(e.objectId));

export const contactWebhookHandlers: WebhookHandler[] = [
  {
    name: 'contacts.refresh',
    matches: (e) =>
      kindIs('contact.creation', 'contact.restore')(e) ||
      (eventKind(e) === 'contact.propertyChange' &&
        e.propertyName !== undefined &&
        WATCHED_CONTACT_PROPERTIES.includes(e.propertyName)),
    async handle(e, deps) {
      const id = contactId(e);
      // A contact deleted since the event was sent reads as absent: nothing to mirror, its deletion event follows.
      if (id) await refreshContacts(deps, e.portalId, [id]);
    },
  },
  {
    name: 'contacts.deletion',
    matches: kindIs('contact.deletion'),
    async handle(e, deps) {
      const id = contactId(e);
      if (id) await deleteContact(deps, e.portalId, id, new Date(e.occurredAt));
    },
  },
  {
    name: 'contacts.merge',
    matches: kindIs('contact.merge'),
    async handle(e, deps) {
      await mergeContacts(deps, e.portalId, e);
    },
  },
  {
    name: 'contacts.privacyDeletion',
    matches: kindIs('contact.privacyDeletion'),
    async handle(e, deps) {
      const id = contactId(e);
      if (!id) return;
      // A mail transport that keeps mails (the demo's captured-mail folder) forgets the person's mails too.
      const mail = deps.mailTransport;
      const erased = await eraseContact(deps.db, e.portalId, id, {
        forgetMail: mail?.forget ? (ids) => mail.forget!(ids) : undefined,
      });
      // Counts only: the log must not carry anything about the person.
      deps.logger.info(
        { module: 'contacts', portalId: e.portalId, ...erased, contactIds: erased.contactIds.length },
        'erased a contact on privacy deletion',
      );
    },
  },
];
