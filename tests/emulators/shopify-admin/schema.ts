import { buildSchema, type GraphQLSchema } from "graphql";
import { BULK_SDL } from "./resolvers-bulk";
import { FLOW_SDL } from "./resolvers-flow";
import { dateTime, decimal, unsignedInt64 } from "./scalars";

/**
 * A faithful subset of the Admin GraphQL schema (API version 2026-07): only the types, fields,
 * arguments and enum values Tierwise uses, with Shopify's own names and nullability, so a query
 * that validates here validates against Shopify. Sources: shopify.dev/docs/api/admin-graphql/2026-07
 * (DiscountCodeBasicInput, DiscountContextInput, DiscountCodeBasic, DiscountErrorCode,
 * MetafieldsSetInput, tagsAdd...). Union members Shopify has but Tierwise never creates
 * (DiscountCodeBxgy, DiscountCodeApp, DiscountCollections, DiscountOnQuantity...) are left out.
 */
export const ADMIN_SDL = /* GraphQL */ `
schema { query: QueryRoot mutation: Mutation }

scalar DateTime
scalar Decimal
scalar UnsignedInt64

type QueryRoot {
  shop: Shop!
  customer(id: ID!): Customer
  codeDiscountNode(id: ID!): DiscountCodeNode
  codeDiscountNodeByCode(code: String!): DiscountCodeNode
}

type Mutation {
  discountCodeBasicCreate(basicCodeDiscount: DiscountCodeBasicInput!): DiscountCodeBasicCreatePayload
  discountCodeFreeShippingCreate(freeShippingCodeDiscount: DiscountCodeFreeShippingInput!): DiscountCodeFreeShippingCreatePayload
  discountCodeDelete(id: ID!): DiscountCodeDeletePayload
  tagsAdd(id: ID!, tags: [String!]!): TagsAddPayload
  tagsRemove(id: ID!, tags: [String!]!): TagsRemovePayload
  metafieldsSet(metafields: [MetafieldsSetInput!]!): MetafieldsSetPayload
}

interface Node { id: ID! }

type Shop implements Node {
  id: ID!
  name: String!
  myshopifyDomain: String!
  currencyCode: CurrencyCode!
  ianaTimezone: String!
}

enum CurrencyCode { AUD CAD CHF DKK EUR GBP JPY NOK NZD SEK USD }
enum CountryCode { AU CA CH DE DK ES FR GB IE IT JP NL NO NZ SE US }

type Customer implements Node {
  id: ID!
  firstName: String
  lastName: String
  displayName: String!
  email: String
  tags: [String!]!
  createdAt: DateTime!
  updatedAt: DateTime!
  metafield(namespace: String, key: String!): Metafield
}

type Metafield implements Node {
  id: ID!
  namespace: String!
  key: String!
  type: String!
  value: String!
  ownerType: MetafieldOwnerType!
  createdAt: DateTime!
  updatedAt: DateTime!
}

enum MetafieldOwnerType { CUSTOMER PRODUCT PRODUCTVARIANT SHOP }

type Product implements Node { id: ID! title: String! handle: String! }
type ProductVariant implements Node { id: ID! title: String! price: Decimal! product: Product! }
type Segment implements Node { id: ID! name: String! query: String! }

type PageInfo { hasNextPage: Boolean! hasPreviousPage: Boolean! startCursor: String endCursor: String }
type Count { count: Int! precision: CountPrecision! }
enum CountPrecision { AT_LEAST EXACT }
type MoneyV2 { amount: Decimal! currencyCode: CurrencyCode! }

type DiscountCodeNode implements Node { id: ID! codeDiscount: DiscountCode! }
union DiscountCode = DiscountCodeBasic | DiscountCodeFreeShipping

type DiscountCodeBasic {
  appliesOncePerCustomer: Boolean!
  asyncUsageCount: Int!
  codes(first: Int, after: String, last: Int, before: String, reverse: Boolean = false): DiscountRedeemCodeConnection!
  codesCount: Count
  combinesWith: DiscountCombinesWith!
  context: DiscountContext!
  createdAt: DateTime!
  customerGets: DiscountCustomerGets!
  discountClasses: [DiscountClass!]!
  endsAt: DateTime
  minimumRequirement: DiscountMinimumRequirement
  recurringCycleLimit: Int
  shortSummary: String!
  startsAt: DateTime!
  status: DiscountStatus!
  summary: String!
  tags: [String!]!
  title: String!
  updatedAt: DateTime!
  usageLimit: Int
}

type DiscountCodeFreeShipping {
  appliesOncePerCustomer: Boolean!
  appliesOnOneTimePurchase: Boolean!
  appliesOnSubscription: Boolean!
  asyncUsageCount: Int!
  codes(first: Int, after: String, last: Int, before: String, reverse: Boolean = false): DiscountRedeemCodeConnection!
  codesCount: Count
  combinesWith: DiscountCombinesWith!
  context: DiscountContext!
  createdAt: DateTime!
  destinationSelection: DiscountShippingDestinationSelection!
  discountClasses: [DiscountClass!]!
  endsAt: DateTime
  maximumShippingPrice: MoneyV2
  minimumRequirement: DiscountMinimumRequirement
  recurringCycleLimit: Int
  shortSummary: String!
  startsAt: DateTime!
  status: DiscountStatus!
  summary: String!
  title: String!
  updatedAt: DateTime!
  usageLimit: Int
}

type DiscountRedeemCodeConnection { edges: [DiscountRedeemCodeEdge!]! nodes: [DiscountRedeemCode!]! pageInfo: PageInfo! }
type DiscountRedeemCodeEdge { cursor: String! node: DiscountRedeemCode! }
type DiscountRedeemCode { id: ID! code: String! asyncUsageCount: Int! }

type DiscountCombinesWith {
  orderDiscounts: Boolean!
  productDiscounts: Boolean!
  productDiscountsWithTagsOnSameCartLine: [String!]
  shippingDiscounts: Boolean!
}

union DiscountContext = DiscountBuyerSelectionAll | DiscountCustomerSegments | DiscountCustomers
type DiscountBuyerSelectionAll { all: DiscountBuyerSelection! }
enum DiscountBuyerSelection { ALL }
type DiscountCustomers { customers: [Customer!]! }
type DiscountCustomerSegments { segments: [Segment!]! }

type DiscountCustomerGets {
  appliesOnOneTimePurchase: Boolean!
  appliesOnSubscription: Boolean!
  items: DiscountItems!
  value: DiscountCustomerGetsValue!
}
union DiscountCustomerGetsValue = DiscountAmount | DiscountPercentage
type DiscountAmount { amount: MoneyV2! appliesOnEachItem: Boolean! }
type DiscountPercentage { percentage: Float! }
union DiscountItems = AllDiscountItems | DiscountProducts
type AllDiscountItems { allItems: Boolean! }
type DiscountProducts {
  products(first: Int, after: String, last: Int, before: String, reverse: Boolean = false): ProductConnection!
  productVariants(first: Int, after: String, last: Int, before: String, reverse: Boolean = false): ProductVariantConnection!
}
type ProductConnection { edges: [ProductEdge!]! nodes: [Product!]! pageInfo: PageInfo! }
type ProductEdge { cursor: String! node: Product! }
type ProductVariantConnection { edges: [ProductVariantEdge!]! nodes: [ProductVariant!]! pageInfo: PageInfo! }
type ProductVariantEdge { cursor: String! node: ProductVariant! }

union DiscountMinimumRequirement = DiscountMinimumQuantity | DiscountMinimumSubtotal
type DiscountMinimumQuantity { greaterThanOrEqualToQuantity: UnsignedInt64! }
type DiscountMinimumSubtotal { greaterThanOrEqualToSubtotal: MoneyV2! }

union DiscountShippingDestinationSelection = DiscountCountries | DiscountCountryAll
type DiscountCountries { countries: [CountryCode!]! includeRestOfWorld: Boolean! }
type DiscountCountryAll { allCountries: Boolean! }

enum DiscountStatus { ACTIVE EXPIRED SCHEDULED }
enum DiscountClass { ORDER PRODUCT SHIPPING }

input DiscountCodeBasicInput {
  appliesOncePerCustomer: Boolean
  code: String
  combinesWith: DiscountCombinesWithInput
  context: DiscountContextInput
  customerGets: DiscountCustomerGetsInput
  endsAt: DateTime
  minimumRequirement: DiscountMinimumRequirementInput
  recurringCycleLimit: Int
  startsAt: DateTime
  tags: [String!]
  title: String
  usageLimit: Int
  customerSelection: DiscountCustomerSelectionInput @deprecated(reason: "Use \`context\` instead.")
}

input DiscountCodeFreeShippingInput {
  appliesOncePerCustomer: Boolean
  appliesOnOneTimePurchase: Boolean
  appliesOnSubscription: Boolean
  code: String
  combinesWith: DiscountCombinesWithInput
  context: DiscountContextInput
  destination: DiscountShippingDestinationSelectionInput
  endsAt: DateTime
  maximumShippingPrice: Decimal
  minimumRequirement: DiscountMinimumRequirementInput
  recurringCycleLimit: Int
  startsAt: DateTime
  title: String
  usageLimit: Int
  customerSelection: DiscountCustomerSelectionInput @deprecated(reason: "Use \`context\` instead.")
}

input DiscountCombinesWithInput { orderDiscounts: Boolean = false productDiscounts: Boolean = false shippingDiscounts: Boolean = false }
input DiscountContextInput { all: DiscountBuyerSelection customers: DiscountCustomersInput customerSegments: DiscountCustomerSegmentsInput }
input DiscountCustomerSelectionInput { all: Boolean customers: DiscountCustomersInput customerSegments: DiscountCustomerSegmentsInput }
input DiscountCustomersInput { add: [ID!] remove: [ID!] }
input DiscountCustomerSegmentsInput { add: [ID!] remove: [ID!] }
input DiscountCustomerGetsInput {
  appliesOnOneTimePurchase: Boolean
  appliesOnSubscription: Boolean
  items: DiscountItemsInput
  value: DiscountCustomerGetsValueInput
}
input DiscountCustomerGetsValueInput { discountAmount: DiscountAmountInput percentage: Float }
input DiscountAmountInput { amount: Decimal appliesOnEachItem: Boolean }
input DiscountItemsInput { all: Boolean products: DiscountProductsInput }
input DiscountProductsInput { productVariantsToAdd: [ID!] productVariantsToRemove: [ID!] productsToAdd: [ID!] productsToRemove: [ID!] }
input DiscountMinimumRequirementInput { quantity: DiscountMinimumQuantityInput subtotal: DiscountMinimumSubtotalInput }
input DiscountMinimumQuantityInput { greaterThanOrEqualToQuantity: UnsignedInt64 }
input DiscountMinimumSubtotalInput { greaterThanOrEqualToSubtotal: Decimal }
input DiscountShippingDestinationSelectionInput { all: Boolean = false countries: DiscountCountriesInput }
input DiscountCountriesInput { add: [CountryCode!] includeRestOfWorld: Boolean = false remove: [CountryCode!] }

type DiscountCodeBasicCreatePayload { codeDiscountNode: DiscountCodeNode userErrors: [DiscountUserError!]! }
type DiscountCodeFreeShippingCreatePayload { codeDiscountNode: DiscountCodeNode userErrors: [DiscountUserError!]! }
type DiscountCodeDeletePayload { deletedCodeDiscountId: ID userErrors: [DiscountUserError!]! }
type DiscountUserError { code: DiscountErrorCode extraInfo: String field: [String!] message: String! }
enum DiscountErrorCode {
  ACTIVE_PERIOD_OVERLAP APPLIES_ON_NOTHING BLANK CONFLICT DUPLICATE END_DATE_BEFORE_START_DATE EQUAL_TO
  EXCEEDED_MAX GREATER_THAN GREATER_THAN_OR_EQUAL_TO IMPLICIT_DUPLICATE INCLUSION INTERNAL_ERROR INVALID
  INVALID_COMBINES_WITH_FOR_DISCOUNT_CLASS INVALID_DISCOUNT_CLASS_FOR_PRICE_RULE INVALID_TAG_LENGTH
  LESS_THAN LESS_THAN_OR_EQUAL_TO MAX_APP_DISCOUNTS MINIMUM_SUBTOTAL_AND_QUANTITY_RANGE_BOTH_PRESENT
  MISSING_ARGUMENT PRESENT TAKEN TOO_LONG TOO_MANY_ARGUMENTS TOO_MANY_TAGS TOO_SHORT VALUE_OUTSIDE_RANGE
}

type TagsAddPayload { node: Node userErrors: [UserError!]! }
type TagsRemovePayload { node: Node userErrors: [UserError!]! }
type UserError { field: [String!] message: String! }

input MetafieldsSetInput { ownerId: ID! namespace: String key: String! value: String! type: String compareDigest: String }
type MetafieldsSetPayload { metafields: [Metafield!] userErrors: [MetafieldsSetUserError!]! }
type MetafieldsSetUserError { code: MetafieldsSetUserErrorCode elementIndex: Int field: [String!] message: String! }
enum MetafieldsSetUserErrorCode {
  APP_NOT_AUTHORIZED BLANK CAPABILITY_VIOLATION INCLUSION INTERNAL_ERROR INVALID INVALID_COMPARE_DIGEST
  INVALID_TYPE INVALID_VALUE LESS_THAN_OR_EQUAL_TO PRESENT STALE_OBJECT TAKEN TOO_LONG TOO_SHORT
}
`;

export function buildAdminSchema(): GraphQLSchema {
  const schema = buildSchema(ADMIN_SDL + BULK_SDL + FLOW_SDL);
  const types = schema.getTypeMap();
  for (const custom of [dateTime, decimal, unsignedInt64]) {
    // buildSchema makes pass-through scalars; give them Shopify's coercion rules.
    Object.assign(types[custom.name], {
      serialize: custom.serialize,
      parseValue: custom.parseValue,
      parseLiteral: custom.parseLiteral,
    });
  }
  return schema;
}
