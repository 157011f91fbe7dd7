import type { TesseraConfig } from '@app/config';
import { Module } from '@nestjs/common';
import { DefinitionsModule } from '../definitions/definitions.module';
import { TESSERA_CONFIG } from '../storage.tokens';
import { ImpactComputations } from './impact-computations';
import { LearnerPathwaysController } from './learner-pathways.http.controller';
import { PathwayImpactQueryHandler, PathwayProgressQueryHandler } from './pathway.queries';
import { PathwaysController } from './pathways.http.controller';
import { QualificationCommandHandler } from './qualification.handler';

@Module({
  imports: [DefinitionsModule],
  controllers: [PathwaysController, LearnerPathwaysController],
  providers: [
    {
      provide: ImpactComputations,
      useFactory: (config: TesseraConfig) => new ImpactComputations(config.impactConcurrency),
      inject: [TESSERA_CONFIG],
    },
    QualificationCommandHandler,
    PathwayImpactQueryHandler,
    PathwayProgressQueryHandler,
  ],
})
export class PathwaysModule {}
