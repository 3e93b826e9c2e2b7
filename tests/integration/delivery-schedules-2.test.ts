import { deliverySchedulesShard } from "./delivery-schedules.property";

deliverySchedulesShard(2, 2);
