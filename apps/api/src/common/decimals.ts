import { buildMessage, ValidateBy, type ValidationOptions } from 'class-validator';

/**
 * A finite number with at most `places` decimals, however it was written: class-validator's
 * `maxDecimalPlaces` reads the digits after a '.', and throws on `1e-7`, which has none.
 */
export function MaxDecimals(places: number, options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'maxDecimals',
      constraints: [places],
      validator: {
        validate: (value: unknown) => typeof value === 'number' && Number.isFinite(value) && Number(value.toFixed(places)) === value,
        defaultMessage: buildMessage((prefix) => `${prefix}$property must be a number with at most $constraint1 decimal places`, options),
      },
    },
    options,
  );
}
