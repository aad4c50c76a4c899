import * as z from 'zod/mini';

/**
 * 产品品类 — the kinds of edible farm product the certificate covers (domain.md: vegetables incl.
 * cultivated mushrooms, fruit, fresh tea leaves, livestock and poultry, eggs, farmed aquatic
 * products). Subjects name their products in free text (青菜, 番茄…); the category is derived
 * from the name by `productCategoryOf`, never stored, so correcting the keyword table below
 * re-classifies every subject at once.
 */
export const productCategories = {
  vegetable: '蔬菜（含食用菌）',
  fruit: '水果',
  tea: '茶叶',
  livestock: '畜禽',
  egg: '禽蛋',
  aquatic: '水产品',
  other: '其他',
} as const;
export type ProductCategory = keyof typeof productCategories;
export const productCategoryCodes = Object.keys(productCategories) as [
  ProductCategory,
  ...ProductCategory[],
];
export const productCategorySchema = z.enum(productCategoryCodes, { error: '请选择产品品类' });

/**
 * Keywords per category, tried in this order; the first category with a keyword contained in the
 * product name wins. The order settles the overlaps: 杏鲍菇 is a mushroom not abalone, 紫菜 is seaweed (aquatic) not a 菜, 鸡蛋 is
 * an egg not poultry, 西瓜 a fruit not a 瓜, 茶树菇 and 杏鲍菇 mushrooms, 鸡毛菜 a vegetable. Policy data: extend it
 * when a street's roster shows names that land in 其他.
 */
export const productCategoryKeywords: readonly (readonly [ProductCategory, readonly string[]])[] = [
  ['vegetable', ['菇', '蘑', '菌', '木耳', '银耳', '鸡毛菜', '鱼腥草', '牛蒡']],
  [
    'aquatic',
    [
      '紫菜',
      '海带',
      '裙带菜',
      '海菜',
      '鱼',
      '虾',
      '蟹',
      '贝',
      '蛤',
      '蚌',
      '螺',
      '蛏',
      '蚝',
      '蛎',
      '海参',
      '鲍',
      '海蜇',
      '鱿',
      '章鱼',
      '鳗',
      '鳝',
      '鳖',
      '甲鱼',
      '牛蛙',
      '藻',
    ],
  ],
  ['egg', ['蛋']],
  ['tea', ['茶']],
  [
    'fruit',
    [
      '西瓜',
      '甜瓜',
      '香瓜',
      '哈密瓜',
      '木瓜',
      '果',
      '桃',
      '梨',
      '葡萄',
      '提子',
      '草莓',
      '樱桃',
      '蓝莓',
      '柿',
      '枣',
      '杏',
      '李子',
      '橘',
      '桔',
      '柑',
      '橙',
      '柚',
      '石榴',
      '香蕉',
      '枇杷',
      '杨梅',
      '桑葚',
    ],
  ],
  ['livestock', ['猪', '牛', '羊', '鸡', '鸭', '鹅', '鸽', '兔', '驴', '鹌鹑', '禽', '肉']],
  [
    'vegetable',
    [
      '菜',
      '茄',
      '椒',
      '瓜',
      '豆',
      '芹',
      '萝卜',
      '薯',
      '芋',
      '山药',
      '葱',
      '姜',
      '蒜',
      '韭',
      '笋',
      '藕',
      '莴',
      '苋',
      '蒿',
      '菠',
      '芦笋',
      '秋葵',
    ],
  ],
];

/** The category of one product name; `other` when no keyword matches. */
export function productCategoryOf(productName: string): ProductCategory {
  const name = productName.trim();
  for (const [category, words] of productCategoryKeywords) {
    if (words.some((w) => name.includes(w))) return category;
  }
  return 'other';
}

/** The categories of a subject's products, each once, in the order of `productCategoryCodes`. */
export function productCategoriesOf(products: readonly string[]): ProductCategory[] {
  const found = new Set(products.map(productCategoryOf));
  return productCategoryCodes.filter((c) => found.has(c));
}
