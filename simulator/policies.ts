/** GET an organisation's contracts (DPAP policies): only the caller's own organisation. */
import { apiVariant, callerOf, type RequestContext } from './context';
import { ApiError, data, type Reply } from './http';
import { contractJson } from './seed-data';

export function listPolicies(ctx: RequestContext): Reply {
  const { organisation } = callerOf(ctx);
  const requested = ctx.params[0];
  if (requested !== String(organisation.id))
    throw new ApiError(403, `organisation ${requested} is not the caller's organisation`, 'organisation_id');
  const includeInactive = ctx.url.searchParams.get('include_inactive_contracts') === 'true';
  const variant = apiVariant(ctx);
  return data(
    organisation.contracts
      .filter((c) => includeInactive || c.active)
      .map((contract) => contractJson(contract, variant)),
  );
}
