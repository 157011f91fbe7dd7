import {
  type CrossIssuerCounting,
  type Issuer,
  type IssuerEvent,
  issuerDecider,
  issuerStream,
  recognitionWindow,
} from '@app/domain';
import type { StreamCommands } from './stream-commands';

/**
 * Whose awards a pathway of `issuerId` counts: its own, and others' under the recognitions on its stream — as they
 * stand now, or as the ledger had recorded them by `asOf` (a recognition or withdrawal recorded later is left out).
 */
export async function crossIssuerCounting(
  streams: StreamCommands,
  issuerId: string,
  asOf?: Date,
): Promise<CrossIssuerCounting> {
  return countingOf(issuerId, await streams.load<Issuer, IssuerEvent>(issuerStream(issuerId), issuerDecider, asOf));
}

/** The same, from the issuer's state (no recognitions when it is not registered). */
export function countingOf(issuerId: string, issuer: Issuer | undefined): CrossIssuerCounting {
  return {
    issuerId,
    recognitions: issuer?.status === 'registered' ? issuer.recognitions.map(recognitionWindow) : [],
  };
}
