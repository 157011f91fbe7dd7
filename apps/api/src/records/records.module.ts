import { Module } from '@nestjs/common';
import { AwardLocationQueryHandler } from './award.queries';
import { AwardsController } from './awards.http.controller';
import { RecordCommandHandler } from './record.handler';
import { RecordsController } from './records.http.controller';

/** A learner's record of an achievement: evidence, assessments, awards and their status, prior learning. */
@Module({
  controllers: [RecordsController, AwardsController],
  providers: [RecordCommandHandler, AwardLocationQueryHandler],
})
export class RecordsModule {}
