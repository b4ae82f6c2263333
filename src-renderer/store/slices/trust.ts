// Trust slice: the trusted signing keys (trust.listKeys/addKey/removeKey) and the signature policy
// (trust.getPolicy/setPolicy), plus which plugins the last policy change blocked.
import type { ConductorApi, PluginInfo } from '../../../src-shared/contract';
import { errorMessage } from '../../format';
import { guarded, succeeded } from '../guard';
import { applyPlugins } from './plugins';
import type { SliceCreator, TrustSlice } from '../types';

/** Plugins that do not load because of their signature (the policy, an untrusted key, a bad signature). */
export function blockedBySignature(plugins: readonly PluginInfo[]): PluginInfo[] {
  return plugins.filter((p) => p.snapshot.state === 'failed' && p.snapshot.verification !== null && !p.snapshot.verification.ok);
}

export const createTrustSlice =
  (api: ConductorApi): SliceCreator<TrustSlice> =>
  (set, get) => ({
    trustedKeys: [],
    trustLoaded: false,
    trustError: null,
    policy: null,
    policyBlocked: null,
    trustBusy: false,
    async loadTrust() {
      const [keys, policy] = await Promise.allSettled([api.trust.listKeys(), api.trust.getPolicy()]);
      const errors: string[] = [];
      if (keys.status === 'fulfilled') set({ trustedKeys: keys.value });
      else errors.push(`trusted keys: ${errorMessage(keys.reason)}`);
      if (policy.status === 'fulfilled') set({ policy: policy.value });
      else errors.push(`signature policy: ${errorMessage(policy.reason)}`);
      set({ trustLoaded: true, trustError: errors.length > 0 ? errors.join('; ') : null });
    },
    async addTrustedKey(publicKey, name, email) {
      set({ trustBusy: true });
      try {
        const mail = email.trim();
        const reply = mail ? await api.trust.addKey(publicKey, name, mail) : await api.trust.addKey(publicKey, name);
        if (!reply.ok) return reply.error;
        get().toast('success', `Trusted key "${reply.key.name}" added`, 'trust');
        await get().loadTrust();
        return null;
      } catch (err) {
        return errorMessage(err);
      } finally {
        set({ trustBusy: false });
      }
    },
    async removeTrustedKey(publicKey) {
      set({ trustBusy: true });
      try {
        const reply = await guarded(get, 'Remove trusted key', () => api.trust.removeKey(publicKey));
        const done = succeeded(get, 'Remove trusted key', reply);
        if (done) get().toast('success', 'Trusted key removed', 'trust');
        await get().loadTrust();
        return done;
      } finally {
        set({ trustBusy: false });
      }
    },
    async setPolicy(policy) {
      // Shown at once (the switches follow the click); a failure goes back to the previous policy and then reloads
      // the one main really has (if even that fails, the switches show the last policy main accepted, not the refused one).
      const previous = get().policy;
      set({ trustBusy: true, policy });
      try {
        const reply = await guarded(get, 'Signature policy', () => api.trust.setPolicy(policy));
        if (!reply || !reply.ok) {
          if (reply && !reply.ok) get().toast('error', `Signature policy: ${reply.error}`, 'Signature policy');
          set({ policy: previous });
          await get().loadTrust();
          return false;
        }
        set((s) => ({ ...applyPlugins(s, reply.plugins), policy, pluginsLoaded: true, policyBlocked: blockedBySignature(reply.plugins).map((p) => p.id) }));
        return true;
      } finally {
        set({ trustBusy: false });
      }
    },
  });
