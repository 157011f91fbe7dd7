import { ReadModelBaseline1765100000000 } from './1765100000000-ReadModelBaseline';
import { ProjectionVersions1765100000001 } from './1765100000001-ProjectionVersions';
import { AnalyticsPerLearner1765100000002 } from './1765100000002-AnalyticsPerLearner';
import { Ob3ApiOAuth1765100000003 } from './1765100000003-Ob3ApiOAuth';
import { XapiStatements1765100000004 } from './1765100000004-XapiStatements';
import { XapiStatementQuery1765100000060 } from './1765100000060-XapiStatementQuery';

/** Every migration of the read side, oldest first: the only place its tables are made or changed. */
export const READ_SIDE_MIGRATIONS = [
  ReadModelBaseline1765100000000,
  ProjectionVersions1765100000001,
  AnalyticsPerLearner1765100000002,
  Ob3ApiOAuth1765100000003,
  XapiStatements1765100000004,
  XapiStatementQuery1765100000060,
];
