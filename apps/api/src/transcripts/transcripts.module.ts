import { Module } from '@nestjs/common';
import { LearnerHistoryQueryHandler, TranscriptQueryHandler, TranscriptSearchQueryHandler } from './transcript.queries';
import { LearnerTranscriptController, TranscriptsController } from './transcripts.http.controller';

@Module({
  controllers: [LearnerTranscriptController, TranscriptsController],
  providers: [TranscriptQueryHandler, LearnerHistoryQueryHandler, TranscriptSearchQueryHandler],
})
export class TranscriptsModule {}
