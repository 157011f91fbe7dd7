import Ajv2019 from 'ajv/dist/2019';
import addFormats from 'ajv-formats';
import schema from './schema/ob_v3p0_achievementcredential_schema.json';

/** Validates a credential against 1EdTech's OB 3.0 AchievementCredential JSON schema (draft 2019-09). */
export function ob3SchemaValidator(): (credential: unknown) => { valid: boolean; errors: string[] } {
  const ajv = new Ajv2019({ strict: false, allErrors: true });
  addFormats(ajv);
  const validate = ajv.compile(schema);
  return (credential) => {
    const valid = validate(credential) === true;
    return {
      valid,
      errors: (validate.errors ?? []).map((error) => `${error.instancePath || '/'} ${error.message ?? 'is invalid'}`),
    };
  };
}
