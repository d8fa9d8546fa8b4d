import type { TwilioConfig } from '../config';
import { createTwilioSender, type SmsSender } from './twilio-client';

// One SDK client per configuration, built on first use (the SDK is large and most installs send no texts).
const senders = new WeakMap<TwilioConfig, SmsSender>();

export function senderFor(config: TwilioConfig): SmsSender {
  let sender = senders.get(config);
  if (!sender) senders.set(config, (sender = createTwilioSender(config)));
  return sender;
}
