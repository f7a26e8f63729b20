import type { ProviderDefinition } from './providerDefinition.js';
import { erpNextProvider } from './erpnext/erpNextProvider.js';
import { genericRestProvider } from './genericRest/genericRestProvider.js';
import { googleContactsProvider } from './google/googleContactsProvider.js';
import { hubSpotProvider } from './hubspot/hubSpotProvider.js';
import { notionProvider } from './notion/notionProvider.js';
import { odooProvider } from './odoo/odooProvider.js';
import { quickBooksProvider } from './quickbooks/quickBooksProvider.js';
import { salesforceProvider } from './salesforce/salesforceProvider.js';
import { supabaseProvider } from './supabase/supabaseProvider.js';
import { wooCommerceProvider } from './woocommerce/wooCommerceProvider.js';

/** Every provider the engine talks to. A new one is its folder under shared/connectors/ and a line here. */
export const registeredProviders: readonly ProviderDefinition[] = [wooCommerceProvider, genericRestProvider, salesforceProvider, hubSpotProvider, notionProvider, googleContactsProvider, quickBooksProvider, erpNextProvider, odooProvider, supabaseProvider];
