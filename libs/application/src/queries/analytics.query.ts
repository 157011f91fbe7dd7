import { type AchievementAnalytics, DomainError, type IssuerAnalytics } from '@app/domain';
import { achievementAnalytics, analyticsProjection, issuerAnalytics } from '@app/read-models';
import { readModelsOf, type ReadSide } from './read-side';

/** Who reads analytics: the issuers of their token (issuer-admins, registrars and auditors see those only). */
export interface AnalyticsReader {
  readonly issuers: readonly string[];
  readonly minPosition?: string;
}

function assertIssuerAccess(reader: AnalyticsReader, issuerId: string | null): void {
  if (issuerId !== null && reader.issuers.includes(issuerId)) return;
  throw new DomainError('not-your-issuer', `This token may not read analytics of the issuer ${issuerId ?? '?'}`);
}

/** One achievement's figures from the analytics read model; 404 when none are held, 403 when another issuer's. */
export async function analyticsOfAchievement(
  read: ReadSide,
  achievementId: string,
  reader: AnalyticsReader,
): Promise<AchievementAnalytics> {
  const { query, waitFor } = readModelsOf(read);
  await waitFor(analyticsProjection.name, reader.minPosition);
  const found = await achievementAnalytics(query, achievementId);
  if (!found) throw new DomainError('unknown-achievement', `no analytics for the achievement ${achievementId}`);
  assertIssuerAccess(reader, found.issuerId);
  return found;
}

/** An issuer's figures summed over its achievements; 403 for another issuer (before anything is read), 404 when none. */
export async function analyticsOfIssuer(
  read: ReadSide,
  issuerId: string,
  reader: AnalyticsReader,
): Promise<IssuerAnalytics> {
  assertIssuerAccess(reader, issuerId);
  const { query, waitFor } = readModelsOf(read);
  await waitFor(analyticsProjection.name, reader.minPosition);
  const found = await issuerAnalytics(query, issuerId);
  if (!found) throw new DomainError('unknown-issuer', `no analytics for the issuer ${issuerId}`);
  return found;
}
