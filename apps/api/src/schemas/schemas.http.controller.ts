import type { TesseraConfig } from '@app/config';
import { pathwayRuleDocument } from '@app/domain';
import { Controller, Get, Header, Inject } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Public } from '../auth/auth.decorators';
import { TESSERA_CONFIG } from '../storage.tokens';

/** JSON Schemas of what clients write, for editors and validators to check a body before it is sent. */
@ApiTags('schemas')
@Public()
@Controller('schemas')
export class SchemasController {
  constructor(@Inject(TESSERA_CONFIG) private readonly config: TesseraConfig) {}

  @Get('pathway-rule.json')
  @Header('Content-Type', 'application/schema+json')
  @ApiOkResponse({ description: 'The JSON Schema (2020-12) of a pathway rule; docs/pathway-rules.md explains it' })
  pathwayRule() {
    return pathwayRuleDocument(this.config.publicUrl);
  }
}
