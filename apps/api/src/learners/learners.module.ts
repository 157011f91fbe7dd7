import { Module } from '@nestjs/common';
import { LearnerProfileHandler } from './learner-profile.handler';
import { LearnerProfileController } from './learner-profile.http.controller';
import { LearnerProfileQueryHandler } from './learner-profile.queries';

/** Learners' profiles: the ledger records that personal data was given or erased; the data lives apart, erasable. */
@Module({
  controllers: [LearnerProfileController],
  providers: [LearnerProfileHandler, LearnerProfileQueryHandler],
})
export class LearnersModule {}
