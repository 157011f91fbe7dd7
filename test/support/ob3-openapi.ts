import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import openapi from '../../libs/credentials/src/schema/ob_v3p0_openapi.json';

/**
 * Validators for the schemas of 1EdTech's OB 3.0 OpenAPI document (ob_v3p0_openapi.json, copied unchanged from
 * 1EdTech/openbadges-specification gh-pages @ a4e4e709665c, docs/openapi/openapi.json): a response of the api must
 * pass the schema the document gives it.
 */
export function ob3OpenApiSchemas(): (schema: string, value: unknown) => string[] {
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema({ ...openapi, $id: 'ob3-openapi' } as object);
  return (schema, value) => {
    const validate = ajv.getSchema(`ob3-openapi#/components/schemas/${schema}`);
    if (!validate) throw new Error(`the OB 3.0 OpenAPI document has no schema ${schema}`);
    return validate(value) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message}`);
  };
}
