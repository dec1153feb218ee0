export type {
  Clause,
  ClauseValue,
  Comparator,
  Entity,
  ListComparator,
  NullComparator,
  NumericComparator,
  OrderTerm,
  SearchGrammar,
  SearchKind,
  StringComparator,
} from './types';
export { parseFilter } from './filter-parser';
export { parseOrderBy } from './order-by';
export { decodePageToken, encodePageToken } from './page-token';
export { runsGrammar } from './grammars/runs';
export type {
  RunClause,
  RunDatasetKey,
  RunNumericAttribute,
  RunOrderAttribute,
  RunOrderTerm,
  RunStringAttribute,
} from './grammars/runs';
export { experimentsGrammar } from './grammars/experiments';
export type {
  ExperimentClause,
  ExperimentOrderKey,
  ExperimentOrderTerm,
  ExperimentTimeAttribute,
} from './grammars/experiments';
export { registeredModelsGrammar } from './grammars/registered-models';
export type {
  RegisteredModelClause,
  RegisteredModelOrderKey,
  RegisteredModelOrderTerm,
} from './grammars/registered-models';
export { modelVersionsGrammar } from './grammars/model-versions';
export type {
  ModelVersionClause,
  ModelVersionOrderKey,
  ModelVersionOrderTerm,
  ModelVersionStringKey,
} from './grammars/model-versions';
export {
  comparisonSql,
  keyValueComparisonSql,
  limitOffsetSql,
  numericCast,
  orderBySql,
  orderByTermSql,
  quoteIdentifier,
  SqlParams,
} from './sql';
export type { ComparisonOptions, SqlOrderTerm } from './sql';
