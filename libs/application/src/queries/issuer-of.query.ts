import { type Issuer, issuerDecider, type IssuerEvent, issuerStream } from '@app/domain';
import { StreamCommands } from '../stream-commands';
import type { ReadSide } from './read-side';

/** An issuer as its stream has it: profile, keys, recognitions (`status: 'unregistered'` when never registered). */
export function issuerOf(read: ReadSide, issuerId: string): Promise<Issuer> {
  return new StreamCommands(read.store).load<Issuer, IssuerEvent>(issuerStream(issuerId), issuerDecider);
}
