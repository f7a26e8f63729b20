import type { OutboundGuard } from '../http/outboundGuard.js';
import { SpecConnector, type SpecConnectorOptions } from '../spec/specConnector.js';
import { wooCommerceHooks } from './wooCommerceHooks.js';
import { wooCommerceCredentialsSchema, wooCommerceSettingsSchema, type WooCommerceCredentials, type WooCommerceSettings, type WooCommerceSettingsInput } from './wooCommerceSettings.js';
import { wooCommerceSpec } from './wooCommerceSpec.js';

export type WooCommerceConnector = SpecConnector;
export type WooCommerceConnectorOptions = SpecConnectorOptions;

/** The store's REST API root from its settings. */
export const wooCommerceTarget = (settings: WooCommerceSettings) => ({
  baseUrl: wooCommerceSpec.baseUrl.replace('{baseUrl}', settings.baseUrl.replace(/\/+$/, '')),
  timeoutMs: settings.timeoutMs,
  ...(settings.caCertificate ? { caCertificate: settings.caCertificate } : {}),
});

/** A WooCommerce store's connector: its spec, with OAuth 1.0a signing over plain http. */
export function createWooCommerceConnector(
  settings: WooCommerceSettingsInput,
  credentials: WooCommerceCredentials,
  outbound: OutboundGuard,
  options?: WooCommerceConnectorOptions,
): WooCommerceConnector {
  const target = wooCommerceTarget(wooCommerceSettingsSchema.parse(settings));
  return new SpecConnector('woocommerce', wooCommerceSpec, target, wooCommerceCredentialsSchema.parse(credentials), { outbound }, wooCommerceHooks, options);
}
