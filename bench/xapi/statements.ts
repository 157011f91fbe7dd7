/**
 * The statements the xAPI benchmark sends, shared by the bench and its request hook (which autocannon's worker
 * thread loads by file path, so this file must not import the app).
 */
import { randomUUID } from 'node:crypto';

export const HOME_PAGE = 'https://moodle.bench.example.edu';
export const COMPLETED = 'http://adlnet.gov/expapi/verbs/completed';
export const LAUNCHED = 'http://adlnet.gov/expapi/verbs/launched';
/** The activity the benchmark's mapping names: a completion of it is evidence of the achievement's criterion. */
export const QUIZ = `${HOME_PAGE}/mod/quiz/view.php?id=31`;
const COURSE = `${HOME_PAGE}/course/view.php?id=12`;

/** What the request hook is given: how many learners exist, and how often a statement matches nothing. */
export interface StatementContext {
  learners: number;
  /** Every n-th statement of a connection is a launch of the course, which no mapping names. */
  unmatchedEvery: number;
}

/** The Moodle user id of the benchmark's learner `index` (its profile's xapiAccount name). */
export const accountName = (index: number) => `u${index}`;
export const learnerIdOf = (index: number) => `bench-xapi-learner-${index}`;

/**
 * A statement as Moodle's logstore_xapi sends it, with a new id: a completion of the mapped quiz with a score by a
 * random learner, or (`matched` false) a launch of the course.
 */
export function benchStatement(learners: number, matched: boolean) {
  const learner = Math.floor(Math.random() * learners);
  return {
    id: randomUUID(),
    actor: {
      objectType: 'Agent',
      name: `Learner ${learner}`,
      account: { homePage: HOME_PAGE, name: accountName(learner) },
    },
    verb: { id: matched ? COMPLETED : LAUNCHED, display: { en: matched ? 'completed' : 'launched' } },
    object: {
      objectType: 'Activity',
      id: matched ? QUIZ : COURSE,
      definition: {
        type: matched ? 'http://adlnet.gov/expapi/activities/assessment' : 'http://adlnet.gov/expapi/activities/course',
        name: { en: matched ? 'Joins quiz' : 'Databases course' },
      },
    },
    ...(matched
      ? { result: { completion: true, success: true, score: { scaled: 0.8, raw: 8, min: 0, max: 10 } } }
      : {}),
    context: {
      platform: 'Moodle',
      language: 'en',
      contextActivities: { parent: [{ id: COURSE, objectType: 'Activity' }] },
    },
    timestamp: new Date().toISOString(),
  };
}
