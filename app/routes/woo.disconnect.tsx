import type { ActionFunctionArgs } from "@remix-run/node";
import db from "../db.server";
import { disconnectApi } from "../../woo-bridge/src/api.server";

// POST /woo/disconnect {connectionId, consumerKey, consumerSecret}: remove the webhooks and stop.
export const action = ({ request }: ActionFunctionArgs) => disconnectApi(db, request);
