import { Module } from '@nestjs/common';
import { DefinitionCommandHandler } from './definition.handler';
import { CatalogueQueryHandler, DefinitionQueryHandler } from './definition.queries';

/** The define / revise / retire lifecycle and catalogue reads that achievements and pathways share. */
@Module({ providers: [DefinitionCommandHandler, CatalogueQueryHandler, DefinitionQueryHandler] })
export class DefinitionsModule {}
