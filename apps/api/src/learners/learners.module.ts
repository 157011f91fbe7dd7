import { Module } from '@nestjs/common';
import { LearnerProfileHandler } from './learner-profile.handler';
import { LearnerProfileController } from './learner-profile.http.controller';
import { LearnerProfileQueryHandler } from './learner-profile.queries';
import { LearnerRecordsController } from './learner-records.http.controller';
import { LearnerRecordsQueryHandler } from './learner-records.queries';

/** Learners' profiles: the ledger records that personal data was given or erased; the data lives apart, erasable. */
@Module({
  controllers: [LearnerProfileController, LearnerRecordsController],
  providers: [LearnerProfileHandler, LearnerProfileQueryHandler, LearnerRecordsQueryHandler],
})
export class LearnersModule {}
