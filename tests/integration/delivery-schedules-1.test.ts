import { deliverySchedulesShard } from "./delivery-schedules.property";

deliverySchedulesShard(1, 2);
