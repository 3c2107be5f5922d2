/**
 * One override per origin pair: a second fix for the pair is merged into the first, asking for
 * everything either asks for (lists united, never narrowed).
 */
import { mechanismOf, mechanismWhyOf } from './mechanism';
import { EXPOSE, HEADERS, METHODS, assertPlanSafe, union, type HeaderLine, type OverridePlan, type RedirectHops, type ServerCors } from './plan-types';

function mergeLines(x: readonly HeaderLine[], y: readonly HeaderLine[]): HeaderLine[] {
  const out = x.map((l) => ({ ...l }));
  for (const l of y) {
    const have = out.find((o) => o.name === l.name);
    if (!have) {
      out.push({ ...l });
      continue;
    }
    if (have.scope && !l.scope) delete have.scope;
    if (l.name === METHODS || l.name === HEADERS || l.name === EXPOSE) {
      have.value = union(have.value.split(',').map((s) => s.trim()), l.value.split(',').map((s) => s.trim()), l.name !== METHODS).join(', ');
    }
  }
  return out;
}

function mergeHops(a: RedirectHops | undefined, b: RedirectHops | undefined): RedirectHops | undefined {
  if (!a || !b) return a ?? b;
  return { origins: union(a.origins, b.origins, false).sort(), headers: mergeLines(a.headers, b.headers) };
}

/** A plan for the same origin pair that asks for everything either asks for (lists merged). */
export function mergePlans(a: OverridePlan, b: OverridePlan): OverridePlan {
  if (a.pageOrigin !== b.pageOrigin || a.targetOrigin !== b.targetOrigin) throw new Error('cors-lens: plans for different origin pairs');
  const server: ServerCors = {
    origin: a.server.origin,
    credentials: a.server.credentials || b.server.credentials,
    methods: union(a.server.methods, b.server.methods, false),
    headers: union(a.server.headers, b.server.headers, true),
    expose: union(a.server.expose, b.server.expose, true),
    preflight: a.server.preflight || b.server.preflight,
  };
  const rescue = mechanismOf(a) === 'rescue' || mechanismOf(b) === 'rescue';
  const hops = mergeHops(a.hops, b.hops);
  // A rescue answers the preflight (204, its whole answer) only when a rescue side needed that;
  // else a header-rule side's lines are added to the server's own answer.
  const answers = (x: OverridePlan) => mechanismOf(x) === 'rescue' && x.preflight.length > 0;
  const additions = (x: OverridePlan) => (mechanismOf(x) === 'rescue' ? (x.preflightAdd ?? []) : x.preflight);
  const answered = !rescue || answers(a) || answers(b);
  const preflightAdd = answered ? [] : mergeLines(additions(a), additions(b));
  const plan: OverridePlan = {
    pageOrigin: a.pageOrigin,
    targetOrigin: a.targetOrigin,
    mechanism: rescue ? 'rescue' : 'headers',
    mechanismWhy: (mechanismOf(a) === 'rescue' ? a.mechanismWhy : mechanismOf(b) === 'rescue' ? b.mechanismWhy : a.mechanismWhy) ?? '',
    preflight: answered ? mergeLines([...a.preflight, ...(a.preflightAdd ?? [])], [...b.preflight, ...(b.preflightAdd ?? [])]) : [],
    ...(preflightAdd.length > 0 ? { preflightAdd } : {}),
    actual: mergeLines(a.actual, b.actual),
    ...(hops ? { hops } : {}),
    actualPredicted: a.actualPredicted || b.actualPredicted,
    credentialsAssumed: a.credentialsAssumed || b.credentialsAssumed,
    server,
    findingIds: union(a.findingIds, b.findingIds, false),
  };
  if (!plan.mechanismWhy) plan.mechanismWhy = mechanismWhyOf(plan);
  assertPlanSafe(plan);
  return plan;
}
