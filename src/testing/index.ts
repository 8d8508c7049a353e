import type { ConnectionsFeature } from '../connections';
import type { ResponseViewer } from '../viewer';
import type { RequestLanguage } from '../language';
import { TestingFeature } from './testController';

export { TestingFeature } from './testController';

/**
 * Builds the Test Explorer integration on the connections feature, the request language's
 * environments (the ones Send uses) and the response viewer's history.
 */
export function registerTesting(sage: ConnectionsFeature, language: Pick<RequestLanguage, 'variables'>, viewer: Pick<ResponseViewer, 'recordTest'>): TestingFeature {
  return new TestingFeature({
    api: sage.api,
    secrets: sage.secretRegistry,
    context: () => {
      const sel = sage.activeContext.selection;
      return sel ? { connectionId: sel.connectionId, ...(sel.siteId ? { site: sel.siteId } : {}), ...(sel.companyId !== undefined ? { company: sel.companyId } : {}) } : {};
    },
    variables: language.variables,
    recordTest: viewer.recordTest,
  });
}
