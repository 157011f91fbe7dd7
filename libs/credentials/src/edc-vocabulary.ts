import countries from 'i18n-iso-countries';
import english from 'i18n-iso-countries/langs/en.json';
import type { Credit, Participation } from '@app/domain';
import type { JsonObject } from './achievement-credential';

countries.registerLocale(english);

/**
 * Concepts of the EU controlled vocabularies an EDC names (the Publications Office's authority tables and the
 * Europass vocabularies under data.europa.eu/snb). Each concept URI here appears in the Commission's Annex I sample
 * (libs/credentials/src/schema/elm/) or, for "Presential", in the same Mode of learning and assessment scheme.
 */
export type Concept = JsonObject & { id: string };

const concept = (id: string, scheme: string, label: string, notation?: string): Concept => ({
  id,
  type: 'Concept',
  inScheme: { id: scheme, type: 'ConceptScheme' },
  ...(notation === undefined ? {} : { notation }),
  prefLabel: { en: label },
});

/** The EDC credential profile "Generic" (the Commission's sample uses it for its micro-credential). */
export const GENERIC_PROFILE = concept(
  'http://data.europa.eu/snb/credential/e34929035b',
  'http://data.europa.eu/snb/credential/25831c2',
  'Generic',
);

export const ENGLISH = concept(
  'http://publications.europa.eu/resource/authority/language/ENG',
  'http://publications.europa.eu/resource/authority/language',
  'English',
  'language',
);

export const BASE64 = concept(
  'http://data.europa.eu/snb/encoding/6146cde7dd',
  'http://data.europa.eu/snb/encoding/25831c2',
  'base64',
);

export const SVG = concept(
  'http://publications.europa.eu/resource/authority/file-type/SVG',
  'http://publications.europa.eu/resource/authority/file-type',
  'SVG',
  'file-type',
);

/** EQF levels 1–8: `http://data.europa.eu/snb/eqf/{level}`. */
export const eqfConcept = (level: number): Concept =>
  concept(`http://data.europa.eu/snb/eqf/${level}`, 'http://data.europa.eu/snb/eqf/25831c2', `Level ${level}`);

const ECTS = concept(
  'http://data.europa.eu/snb/education-credit/6fcec5c5af',
  'http://data.europa.eu/snb/education-credit/25831c2',
  'European Credit Transfer System',
);

/**
 * The credit framework of an amount: ECTS as the Europass concept; the EU vocabulary has no concept for the other
 * frameworks Tessera keeps (UK, SCQF, NZ, US credit), so they are Tessera concepts, named plainly.
 */
export const creditFrameworkConcept = (framework: string): Concept =>
  framework === 'ECTS'
    ? ECTS
    : concept(
        `urn:tessera:credit-framework:${encodeURIComponent(framework)}`,
        'urn:tessera:credit-frameworks',
        `${framework} credit`,
      );

/** Form of participation, as the Europass "Mode of learning and assessment" (learning-assessment) concepts. */
const PARTICIPATION_MODES: { readonly [form in Participation]: Concept } = {
  online: concept(
    'http://data.europa.eu/snb/learning-assessment/920fbb3cbe',
    'http://data.europa.eu/snb/learning-assessment/25831c2',
    'Online',
  ),
  onsite: concept(
    'http://data.europa.eu/snb/learning-assessment/9191af2ed9',
    'http://data.europa.eu/snb/learning-assessment/25831c2',
    'Presential',
  ),
  blended: concept(
    'http://data.europa.eu/snb/learning-assessment/e92d221e4d',
    'http://data.europa.eu/snb/learning-assessment/25831c2',
    'Blended',
  ),
};

export const participationConcept = (participation: Participation): Concept => PARTICIPATION_MODES[participation];

/** A country (ISO 3166-1 alpha-2, as issuers are registered) as the Publications Office's country concept (alpha-3). */
export function countryConcept(alpha2: string): Concept {
  const alpha3 = countries.alpha2ToAlpha3(alpha2);
  if (alpha3 === undefined) throw new Error(`${alpha2} is not an ISO 3166-1 alpha-2 country code`);
  return concept(
    `http://publications.europa.eu/resource/authority/country/${alpha3}`,
    'http://publications.europa.eu/resource/authority/country',
    countries.getName(alpha2, 'en') ?? alpha2,
    'country',
  );
}

/** An amount of credit as an ELM CreditPoint (`point` a string, as in the Commission's sample). */
export const creditPoint = (id: string, credit: Credit): JsonObject => ({
  id,
  type: 'CreditPoint',
  framework: creditFrameworkConcept(credit.framework),
  point: String(credit.value),
});
