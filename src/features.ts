import type { Feature } from './feature';
import { opsFeature } from './ops';
import { webhooksFeature } from './webhooks';
import { settingsFeature } from './settings';

// Every capability of the product, in mounting order. Add a feature by importing its index and listing it here.
export const features: Feature[] = [
  opsFeature,
  webhooksFeature,
  settingsFeature,
];
